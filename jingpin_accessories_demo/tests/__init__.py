from . import test_day_specialist
