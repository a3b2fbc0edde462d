from . import jingpin_key_move_wizard
