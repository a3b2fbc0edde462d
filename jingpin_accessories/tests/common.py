from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# A 1x1 PNG, base64: stands for a signature drawn on the screen.
SIGNATURE_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


class JingpinCommon(TransactionCase):
    """Two dealerships, staff in every role, a small catalogue with a package and stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Dealership B"})
        (cls.company_a | cls.company_b).jingpin_enabled = True
        cls.warehouse_a = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_a.id)], limit=1)
        cls.warehouse_b = cls.env["stock.warehouse"].search([("company_id", "=", cls.company_b.id)], limit=1)

        def user(login, groups, company=cls.company_a, companies=None):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[Command.set((companies or company).ids)],
            )

        cls.technician = user("jp_tech", "jingpin_accessories.group_jingpin_technician")
        cls.specialist = user("jp_spec", "jingpin_accessories.group_jingpin_specialist")
        cls.manager = user("jp_mgr", "jingpin_accessories.group_jingpin_manager")
        cls.gm = user("jp_gm", "jingpin_accessories.group_jingpin_gm")
        cls.consultant = user("jp_sc", "sales_team.group_sale_salesman")
        cls.viewer = user(
            "jp_group",
            "jingpin_accessories.group_jingpin_group_viewer,base.group_multi_company",
            companies=cls.company_a | cls.company_b,
        )
        cls.specialist_b = user("jp_spec_b", "jingpin_accessories.group_jingpin_specialist", company=cls.company_b)
        # Who approves concessions: a dealership selling accessories must have them (Settings › Accessories).
        cls.company_a.write({"jingpin_manager_id": cls.manager.id, "jingpin_gm_id": cls.gm.id})

        brand = cls.env["fleet.vehicle.model.brand"].create({"name": "Toyota Test"})
        cls.camry, cls.rav4 = cls.env["fleet.vehicle.model"].create(
            [
                {"name": "Camry", "brand_id": brand.id},
                {"name": "RAV4", "brand_id": brand.id},
            ]
        )
        root = cls.env.ref("jingpin_accessories.product_category_accessories")
        cls.categ_mats, cls.categ_film, cls.categ_cam = cls.env["product.category"].create(
            [
                {"name": "Floor Mats", "parent_id": root.id},
                {"name": "Window Film", "parent_id": root.id},
                {"name": "Dashcams", "parent_id": root.id},
            ]
        )
        cls.mat, cls.film, cls.dashcam = cls.env["product.template"].create(
            [
                cls._accessory_vals("Camry Floor Mats", cls.categ_mats, 800.0, 400.0, 15, cls.camry),
                cls._accessory_vals("Window Film", cls.categ_film, 3000.0, 1200.0, 240),
                cls._accessory_vals("Dashcam", cls.categ_cam, 1200.0, 600.0, 60),
            ]
        )
        cls.package = cls._create_package("New Car Package", 4000.0, cls.mat | cls.film | cls.dashcam)
        cls.customer = cls.env["res.partner"].create({"name": "Customer Li"})

    @classmethod
    def _accessory_vals(cls, name, categ, price, cost, minutes, models=None, **extra):
        return {
            "name": name,
            "is_accessory": True,
            "type": "consu",
            "is_storable": True,
            "categ_id": categ.id,
            "list_price": price,
            "standard_price": cost,
            "needs_install": bool(minutes),
            "labour_minutes": minutes,
            "vehicle_model_ids": [Command.set(models.ids)] if models else [],
            "jingpin_provenance": "oem",
            "jingpin_producer": "Toyota Boshoku",
            **extra,
        }

    @classmethod
    def _new_technicians(cls, count, login, **values):
        """``count`` more technicians of dealership A, logins ``login``_0, ``login``_1..."""
        return cls.env["res.users"].concat(
            *(
                new_test_user(
                    cls.env,
                    login=f"{login}_{index}",
                    groups="jingpin_accessories.group_jingpin_technician",
                    company_id=cls.company_a.id,
                    company_ids=[Command.set(cls.company_a.ids)],
                    **values,
                )
                for index in range(count)
            )
        )

    @classmethod
    def _create_package(cls, name, price, accessories):
        combos = cls.env["product.combo"].create(
            [
                {
                    "name": f"{name} · {accessory.name}",
                    "combo_item_ids": [Command.create({"product_id": accessory.product_variant_id.id})],
                }
                for accessory in accessories
            ]
        )
        return cls.env["product.template"].create(
            {
                "name": name,
                "is_accessory": True,
                "type": "combo",
                "categ_id": cls.env.ref("jingpin_accessories.product_category_accessories").id,
                "list_price": price,
                "combo_ids": [Command.set(combos.ids)],
            }
        )

    @classmethod
    def _receive_stock(cls, templates, quantity, warehouse=None):
        """Put stock on hand through an inventory adjustment, valued at cost like any receipt."""
        location = (warehouse or cls.warehouse_a).lot_stock_id
        quants = (
            cls.env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": template.product_variant_id.id,
                        "location_id": location.id,
                        "inventory_quantity": quantity,
                    }
                    for template in templates
                ]
            )
        )
        quants.action_apply_inventory()


class JingpinWorkOrderCommon(JingpinCommon):
    """Adds a second technician, a customer car and a confirmed order with its work order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician_2 = new_test_user(
            cls.env,
            login="jp_tech2",
            groups="jingpin_accessories.group_jingpin_technician",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls._receive_stock(cls.mat | cls.film | cls.dashcam, 20)
        cls.car = cls.env["jingpin.vehicle"].create(
            {
                "vin": "LVGBE40K8GP123456",
                "license_plate": "京A12345",
                "model_id": cls.camry.id,
                "partner_id": cls.customer.id,
            }
        )

    @classmethod
    def _confirmed_order(cls, products=None, user=None, vehicle=None):
        """A confirmed accessory order for the customer's car; returns (order, work order)."""
        order = (
            cls.env["sale.order"]
            .with_user(user or cls.specialist)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "jingpin_channel": "after_sales",
                    "vehicle_id": (vehicle or cls.car).id,
                    "order_line": [
                        Command.create({"product_id": product.product_variant_id.id, "product_uom_qty": 1})
                        for product in (products or cls.mat | cls.film)
                    ],
                }
            )
        )
        order.action_confirm()
        return order, order.work_order_ids

    @classmethod
    def _start_work(cls, work_order, technician=None):
        """Dispatch to a technician and start: protective set fitted, key in the key box, work started."""
        work_order.with_user(cls.specialist).technician_id = technician or cls.technician
        work_order.with_user(work_order.technician_id).action_confirm_protective_set()
        if work_order.key_state != "in_box":
            work_order.with_user(work_order.technician_id).action_key_check_in(
                cls._free_key_slot(work_order.company_id)
            )
        work_order.with_user(work_order.technician_id).action_start()
        cls._take_photos(work_order)

    @classmethod
    def _take_photos(cls, work_order):
        """The technician photographs the protective set and the car's condition: signing needs them."""
        work_order.with_user(work_order.technician_id).write(
            {
                "protective_set_photo": SIGNATURE_PNG,
                "condition_before_photo": SIGNATURE_PNG,
                "condition_after_photo": SIGNATURE_PNG,
            }
        )

    @classmethod
    def _free_key_slot(cls, company):
        Slot = cls.env["jingpin.key.slot"]
        free = Slot.search([("company_id", "=", company.id), ("is_occupied", "=", False)], limit=1)
        return free or Slot.create({"name": f"Test-{Slot.search_count([]) + 1}", "company_id": company.id})

    @classmethod
    def _pass_inspection(cls, work_order):
        work_order.current_inspection_line_ids.with_user(cls.specialist).write(
            {"result": "pass", "photo": SIGNATURE_PNG}
        )
        work_order.with_user(cls.specialist).action_sign_inspection()

    @classmethod
    def _issue_parts(cls, work_order):
        """The specialist issues the work order's accessories from stock (出库)."""
        for picking in work_order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel")):
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            picking.move_ids.picked = True
            picking.with_user(cls.specialist).with_context(skip_backorder=True).button_validate()

    @classmethod
    def _hand_over(cls, work_order, signer="Customer Li", issue_parts=True):
        if issue_parts:
            cls._issue_parts(work_order)
        cls.env["jingpin.handover.wizard"].with_user(cls.specialist).create(
            {
                "task_id": work_order.id,
                "signer_name": signer,
                "signature": SIGNATURE_PNG,
            }
        ).action_confirm()
