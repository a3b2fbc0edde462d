from . import jingpin_demo_history
