from . import jingpin_handover_wizard
from . import jingpin_key_move_wizard
from . import jingpin_approval_wizard
from . import jingpin_followup_result_wizard
from . import jingpin_complaint_assign_wizard
from . import jingpin_report_period_wizard
from . import jingpin_log_hours_wizard
from . import jingpin_approval_refuse_wizard
