{
    "name": "Accessories Department (精品部)",
    "summary": "Accessory catalogue, packages, price sheets and roles for a car "
    "dealership's accessories department",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "author": "jingpin_accessories authors",
    "website": "https://github.com/jingpin-accessories",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "sale_stock",
        "sale_project",
        "stock_account",
        "fleet",
    ],
    "data": [
        "security/jingpin_security.xml",
        "security/ir.model.access.csv",
        "data/discuss_channel_data.xml",
        "data/product_category_data.xml",
        "report/price_sheet_report.xml",
        "report/price_sheet_templates.xml",
        "views/product_template_views.xml",
        "views/product_category_views.xml",
        "views/fleet_vehicle_model_views.xml",
        "views/jingpin_menus.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_users_demo.xml",
        "demo/fleet_demo.xml",
        "demo/product_demo.xml",
        "demo/package_demo.xml",
        "demo/stock_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "jingpin_accessories/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
