from . import jingpin_handover_wizard
