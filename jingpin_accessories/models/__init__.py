from . import jingpin_vehicle
from . import product_category
from . import product_template
from . import product_product
from . import res_users
from . import sale_order
from . import sale_order_line
