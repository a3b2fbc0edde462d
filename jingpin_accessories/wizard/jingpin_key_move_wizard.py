from odoo import api, fields, models

from ..models.jingpin_key_log import KEY_ACTIONS


class JingpinKeyMoveWizard(models.TransientModel):
    _name = "jingpin.key.move.wizard"
    _description = "Move a Car Key"

    task_id = fields.Many2one("project.task", string="Work Order", required=True, readonly=True)
    company_id = fields.Many2one(related="task_id.company_id")
    action = fields.Selection(KEY_ACTIONS, required=True, readonly=True)
    slot_id = fields.Many2one(
        "jingpin.key.slot",
        string="Slot",
        compute="_compute_slot_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('company_id', '=', company_id), ('is_occupied', '=', False)]",
    )
    holder_id = fields.Many2one(
        "res.users",
        string="Holder",
        default=lambda self: self.env.user,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )

    key_tag_id = fields.Many2one(
        "jingpin.vehicle",
        string="Key Tag",
        help="Scan the QR code of the key's tag with the phone: the key of another car or of "
        "another dealership is refused.",
    )
    receiver_id = fields.Many2one(
        "res.users",
        string="Hand To",
        domain="[('share', '=', False), ('company_ids', 'in', company_id), ('id', '!=', uid)]",
        help="The staff member who takes the key from you; he confirms once he has it.",
    )

    @api.depends("task_id", "action")
    def _compute_slot_id(self):
        """Propose the slot the car's key came from when it is still empty, else the first slot
        that is free: not one left empty by another car's key that is out, kept for its return
        (that one only when no slot is free at all)."""
        for wizard in self:
            if wizard.action != "check_in":
                wizard.slot_id = False
                continue
            slots = self.env["jingpin.key.slot"].search(
                [
                    ("company_id", "=", wizard.task_id.company_id.id),
                    ("is_occupied", "=", False),
                ]
            )
            own = slots.filtered(lambda slot, car=wizard.task_id.vehicle_id: car and slot.out_vehicle_id == car)
            free = slots.filtered(lambda slot: slot.slot_state == "free")
            wizard.slot_id = (own or free or slots)[:1]

    def action_confirm(self):
        self.ensure_one()
        if self.key_tag_id:
            self.task_id._check_key_tag(self.key_tag_id)
        if self.action == "check_in":
            self.task_id.action_key_check_in(self.slot_id)
        elif self.action == "handoff":
            self.env["jingpin.key.handoff"]._offer(self.task_id, self.receiver_id)
        else:
            self.task_id.action_key_check_out(self.holder_id)
        return {"type": "ir.actions.act_window_close"}
