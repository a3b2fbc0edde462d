from . import test_day_manager
