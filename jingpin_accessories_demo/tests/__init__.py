from . import test_day_manager
from . import test_day_technician
