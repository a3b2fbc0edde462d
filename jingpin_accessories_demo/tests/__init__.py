from . import test_day_manager
from . import test_day_technician
from . import test_day_group
