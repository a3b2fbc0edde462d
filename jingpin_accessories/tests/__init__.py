from . import test_access
from . import test_catalogue
from . import test_key_box
from . import test_package_sale
from . import test_planning
from . import test_price_sheet
from . import test_vehicle
from . import test_work_order
