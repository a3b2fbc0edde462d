from . import test_day_manager
from . import test_day_technician
from . import test_day_technician_phone
from . import test_day_specialist
from . import test_day_gm
from . import test_day_group
from . import test_demo_language
