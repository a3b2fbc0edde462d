from . import customer_page
