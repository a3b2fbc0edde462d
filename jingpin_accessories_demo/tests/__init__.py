from . import test_demo_language
