{
    "name": "Accessories Department: Demo Dealer Group (精品部演示)",
    "summary": "Demo dealer group: two Beijing Toyota dealerships with three months of accessory business",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "jingpin_accessories authors",
    "website": "https://github.com/jingpin-accessories",
    "license": "LGPL-3",
    "depends": [
        "jingpin_accessories",
        "l10n_cn",
    ],
    # The dealer group is this addon's whole purpose: its records are its data (noupdate, so an
    # update neither rewrites them nor plays the history again), installed with or without Odoo's
    # demo data.
    "data": [
        "data/res_company_demo.xml",
        "data/res_users_demo.xml",
        "data/fleet_demo.xml",
        "data/product_demo.xml",
        "data/package_demo.xml",
        "data/stock_demo.xml",
        "data/jingpin_key_slot_demo.xml",
        "data/jingpin_promotion_demo.xml",
        "data/sale_order_demo.xml",
        "data/jingpin_history_demo.xml",
        "data/jingpin_people_demo.xml",
        "data/jingpin_targets_demo.xml",
        "data/purchase_order_demo.xml",
        "data/jingpin_figures_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "jingpin_accessories_demo/static/tests/tours/*.js",
        ],
    },
    "external_dependencies": {"python": ["freezegun"]},
    "application": False,
    "installable": True,
}
