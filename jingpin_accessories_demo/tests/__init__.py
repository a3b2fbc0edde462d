from . import test_day_specialist
from . import test_day_gm
from . import test_day_consultant
from . import test_day_frontdesk
