from . import price_sheet
