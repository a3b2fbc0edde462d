import json

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# What a signature seals on the work order itself: changing it afterwards breaks the seal.
SIGNED_TASK_FIELDS = frozenset({"name", "partner_id", "vehicle_id", "accessory_order_id"})
ROLE_SEQUENCE = ("completion", "inspection", "handover")


class ProjectTask(models.Model):
    """The sign-off chain of a work order (R16, R22, B1, B8): the technician signs completion,
    a specialist signs the final inspection, the customer signs the handover."""

    _inherit = "project.task"

    signature_ids = fields.One2many("jingpin.signature", "task_id", string="Signatures")
    inspection_line_ids = fields.One2many("jingpin.inspection.line", "task_id", string="Final Inspection")
    current_inspection_line_ids = fields.One2many(
        "jingpin.inspection.line", compute="_compute_current_inspection_line_ids",
        inverse="_inverse_current_inspection_line_ids", string="Checkpoints",
    )
    seal_state = fields.Selection(
        [("unsigned", "Not Signed"), ("intact", "Intact"), ("broken", "Broken")],
        compute="_compute_seal_state",
        help="Whether what was signed is still exactly as it was when signed.",
    )
    is_locked = fields.Boolean(
        compute="_compute_is_locked",
        help="Items are locked once the technician has signed the work.",
    )
    installation_sheet_id = fields.Many2one("ir.attachment", string="Archived Installation Sheet", readonly=True, copy=False)

    @api.depends("inspection_line_ids.round", "rework_count")
    def _compute_current_inspection_line_ids(self):
        for task in self:
            task.current_inspection_line_ids = task.inspection_line_ids.filtered(
                lambda line: line.round == task.rework_count
            )

    def _inverse_current_inspection_line_ids(self):
        """Edits in the form go to the lines themselves; nothing to store on the task."""

    @api.depends("signature_ids.digest")
    def _compute_seal_state(self):
        for task in self:
            if not task.signature_ids:
                task.seal_state = "unsigned"
            else:
                task.seal_state = "intact" if all(task.signature_ids.mapped("seal_ok")) else "broken"

    @api.depends("signature_ids")
    def _compute_is_locked(self):
        for task in self:
            task.is_locked = bool(task.signature_ids)

    def _check_work_order_write(self, vals):
        super()._check_work_order_write(vals)
        signed = self.filtered("signature_ids")
        if signed and SIGNED_TASK_FIELDS & vals.keys():
            raise UserError(self.env._(
                "Work order %s is signed: its customer, vehicle and order can no longer be changed.",
                ", ".join(signed.mapped("name")),
            ))

    # === SIGNED CONTENT === #
    def _signature_content(self, role, round_):
        """What a signature of ``role`` in ``round_`` seals, as plain JSON-able data."""
        self.ensure_one()
        content = {
            "work_order": self.name,
            "customer": self.partner_id.display_name or "",
            "vehicle": {"vin": self.vehicle_id.vin or "", "plate": self.vehicle_id.license_plate or "",
                        "model": self.vehicle_id.model_id.display_name or ""},
            "items": [
                {"product": item.product_id.display_name, "quantity": item.quantity,
                 "labour_minutes": item.labour_minutes}
                for item in self.work_item_ids
            ],
        }
        if role in ("inspection", "handover"):
            content["inspection"] = [
                {"checkpoint": line.name, "category": line.category, "result": line.result or "",
                 "note": line.note or ""}
                for line in self.inspection_line_ids.filtered(lambda l: l.round == round_)
            ]
        return content

    def _sign(self, role, signer_name, result=False, signature=False, partner=False):
        """Add a signature of ``role`` for the current user, in the order the process requires."""
        self.ensure_one()
        current = self.signature_ids.filtered(lambda s: s.round == self.rework_count)
        expected = ROLE_SEQUENCE[len(current)] if len(current) < len(ROLE_SEQUENCE) else None
        if role != expected:
            labels = dict(self.env["jingpin.signature"]._fields["role"]._description_selection(self.env))
            raise UserError(self.env._(
                "Work order %(task)s cannot be signed for “%(role)s” now: signatures follow the "
                "process (completion, final inspection, handover) and none is given afterwards. "
                "Next expected: %(expected)s.",
                task=self.name, role=labels[role],
                expected=labels.get(expected) or self.env._("none, the work order is handed over"),
            ))
        previous = self.signature_ids.sorted(lambda s: (s.signed_on, s.id))[-1:]
        return self.env["jingpin.signature"].sudo().with_context(jingpin_sign=True).create({
            "task_id": self.id,
            "role": role,
            "round": self.rework_count,
            "result": result,
            "user_id": self.env.uid,
            "signer_name": signer_name,
            "partner_id": partner and partner.id,
            "signature": signature,
            "content": json.dumps(self._signature_content(role, self.rework_count), ensure_ascii=False),
            "previous_digest": previous.digest,
        })

    # === ACTIONS === #
    def action_sign_completion(self):
        """The assigned technician signs that his work is complete; it goes to final inspection."""
        self.ensure_one()
        self._check_is_work_order()
        if self.env.user != self.technician_id:
            raise AccessError(self.env._(
                "Only %(technician)s, the technician of work order %(task)s, can sign its completion. "
                "Nobody signs for someone else.",
                technician=self.technician_id.name or self.env._("the assigned technician"), task=self.name,
            ))
        if self.work_state != "in_progress":
            raise UserError(self.env._("Work order %s is not in progress: there is no work to sign.", self.name))
        self._sign("completion", self.env.user.name)
        self.sudo()._create_inspection_lines()
        self._move_to("inspection")

    def action_sign_inspection(self):
        """A specialist signs the final inspection; a failed checkpoint sends the work back."""
        self.ensure_one()
        self._check_is_work_order()
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("Only an accessories specialist signs the final inspection."))
        if self.work_state != "inspection":
            raise UserError(self.env._("Work order %s is not waiting for its final inspection.", self.name))
        lines = self.current_inspection_line_ids
        if not lines or not all(lines.mapped("result")):
            raise UserError(self.env._(
                "Mark every checkpoint of work order %s as passed or failed before signing.", self.name,
            ))
        failed = lines.filtered(lambda line: line.result == "fail")
        self._sign("inspection", self.env.user.name, result="fail" if failed else "pass")
        if not failed:
            self._move_to("ready")
            return
        self._move_to("in_progress", rework_count=self.rework_count + 1)
        self.sudo()._create_inspection_lines()
        body = self.env._("Final inspection failed, the work goes back to the technician: %s",
                          "; ".join(f"{line.name} ({line.note or '-'})" for line in failed))
        self.message_post(body=body, partner_ids=self.technician_id.partner_id.ids)
        if self.technician_id:
            self.activity_schedule("mail.mail_activity_data_todo", user_id=self.technician_id.id,
                                   summary=self.env._("Rework after final inspection"), note=body)

    def action_inspection_all_pass(self):
        """Mark the open checkpoints passed; the specialist then marks the failed ones."""
        self.ensure_one()
        if self.work_state != "inspection":
            raise UserError(self.env._("Work order %s is not waiting for its final inspection.", self.name))
        self.current_inspection_line_ids.filtered(lambda line: not line.result).result = "pass"

    def action_open_handover(self):
        self.ensure_one()
        self._check_is_work_order()
        if self.work_state != "ready":
            raise UserError(self.env._("Work order %s is not ready for handover.", self.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Handover to the Customer"),
            "res_model": "jingpin.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_task_id": self.id},
        }

    def action_print_installation_sheet(self):
        return self.env.ref("jingpin_accessories.action_report_installation_sheet").report_action(self)

    def _handover(self, signer_name, signature):
        """The customer signs the handover; the installation sheet is archived on the work order."""
        self.ensure_one()
        if not self.env.user.has_group("jingpin_accessories.group_jingpin_specialist"):
            raise AccessError(self.env._("The handover is done by an accessories specialist with the customer."))
        if self.work_state != "ready":
            raise UserError(self.env._("Work order %s is not ready for handover.", self.name))
        if not signature:
            raise UserError(self.env._("The customer must sign on the screen to take the car back."))
        self._sign("handover", signer_name, signature=signature, partner=self.partner_id)
        self._move_to("handed_over", date_end=fields.Datetime.now())
        self._archive_installation_sheet()
        self.env["jingpin.due.bill"].sudo().search([
            ("work_order_ids", "in", self.ids), ("state", "=", "signed"),
        ])._close_fitted()

    def _create_inspection_lines(self):
        _ = self.env._
        for task in self:
            task.env["jingpin.inspection.line"].create([
                *({"task_id": task.id, "round": task.rework_count, "sequence": index, "category": "function",
                   "work_item_id": item.id, "name": _("Works as intended: %s", item.product_id.display_name)}
                  for index, item in enumerate(task.work_item_ids)),
                {"task_id": task.id, "round": task.rework_count, "sequence": 100, "category": "condition",
                 "name": _("Body, paint and interior as before the work, no damage")},
                {"task_id": task.id, "round": task.rework_count, "sequence": 110, "category": "cleanliness",
                 "name": _("Inside and outside clean, protective set removed")},
            ])

    def _archive_installation_sheet(self):
        report = self.env.ref("jingpin_accessories.action_report_installation_sheet")
        for task in self:
            content, fmt = report.sudo()._render_qweb_pdf(report.report_name, task.ids)
            attachment = self.env["ir.attachment"].sudo().create({
                "name": self.env._("Installation Sheet %(task)s.%(ext)s", task=task.name, ext=fmt),
                "raw": content,
                "res_model": "project.task",
                "res_id": task.id,
                "mimetype": "application/pdf" if fmt == "pdf" else "text/html",
            })
            task.with_context(jingpin_workflow=True).installation_sheet_id = attachment
            task.message_post(body=self.env._("Installation sheet archived."), attachment_ids=attachment.ids)
