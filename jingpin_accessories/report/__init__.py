from . import accessory_confirmation
from . import jingpin_key_board
from . import jingpin_labour_report
from . import jingpin_workshop_load
from . import price_sheet
from . import jingpin_sale_margin_report
from . import jingpin_satisfaction_report
from . import jingpin_dashboard
