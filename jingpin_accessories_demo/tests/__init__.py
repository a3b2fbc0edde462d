from . import test_day_technician_phone
