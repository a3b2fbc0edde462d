from datetime import timedelta

from odoo import api, fields, models

# The manager is reminded this many days before a stocktake is due.
STOCKTAKE_NOTICE_DAYS = 7


class StockLocation(models.Model):
    # the stocktake reminder is an activity on the location counted
    _name = "stock.location"
    _inherit = ["stock.location", "mail.thread", "mail.activity.mixin"]

    def _jingpin_department_documents(self):
        # the chatter of a location is the addon's: its stocktake reminders
        return self

    @api.model
    def _cron_stocktake_reminder(self):
        """Daily: the count frequency follows each dealership's setting, and the accessories manager
        gets a to-do (once) for each stock location whose count is due within a week."""
        companies = self.env["res.company"]._jingpin_enabled_companies()
        companies._jingpin_sync_stocktake_frequency()
        soon = fields.Date.context_today(self) + timedelta(days=STOCKTAKE_NOTICE_DAYS)
        reminded = self.browse()
        for company in companies.filtered("jingpin_manager_id"):
            manager = company.jingpin_manager_id
            due = company._jingpin_stocktake_locations().filtered(
                lambda location: location.next_inventory_date and location.next_inventory_date <= soon
            )
            already = set(
                self.env["mail.activity"]
                .search([("res_model", "=", "stock.location"), ("res_id", "in", due.ids), ("user_id", "=", manager.id)])
                .mapped("res_id")
            )
            env = self.with_context(lang=company.partner_id.lang or "en_US").env
            for location in due - self.browse(already):
                location.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=location.next_inventory_date,
                    user_id=manager.id,
                    summary=env._("Stocktake of %s", location.display_name),
                    note=env._(
                        "Count the accessories of %(location)s by %(date)s (Accessories › Inventory › "
                        "Stocktake), then apply the count.",
                        location=location.display_name,
                        date=fields.Date.to_string(location.next_inventory_date),
                    ),
                )
                reminded |= location
        return reminded
