from odoo.tests import tagged

from .common import JingpinCommon

OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

# What each role may do on each of the department's models ("" = nothing at all).
MATRIX = {
    "jingpin.vehicle": {
        "technician": "r",
        "specialist": "rwc",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "rwc",
        "viewer": "r",
    },
    # the consultant and the front desk open their orders' work orders (a stopped or late car): its
    # items, checkpoints, key register and slots are read with it
    "jingpin.work.item": {
        "technician": "r",
        "specialist": "rwcu",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.signature": {
        "technician": "r",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        # the consultant reads his customer's signature of the accessory confirmation
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.inspection.line": {
        "technician": "r",
        "specialist": "rw",
        "manager": "rw",
        "gm": "rw",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.due.bill": {
        "technician": "",
        "specialist": "rwc",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.work.exception": {
        "technician": "r",
        "specialist": "rwc",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "rw",
        "viewer": "r",
    },
    "jingpin.key.slot": {
        "technician": "r",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.key.log": {
        "technician": "r",
        "specialist": "rc",
        "manager": "rc",
        "gm": "rc",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.key.board": {
        "technician": "r",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.workshop.load": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.labour.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    # Decisions are recorded by the order's decision action only (server side).
    "jingpin.approval": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.manager.charge": {
        "technician": "",
        "specialist": "",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.sale.margin.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.promotion": {
        "technician": "",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.promotion.line": {
        "technician": "",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.promotion.message": {
        "technician": "",
        "specialist": "rwc",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "product.template": {
        "technician": "r",
        "specialist": "r",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "r",
        "viewer": "r",
    },
    "product.combo": {
        "technician": "r",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "r",
        "viewer": "r",
    },
    "fleet.vehicle.model": {
        "technician": "r",
        "specialist": "r",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "r",
        "viewer": "r",
    },
    "jingpin.training": {
        "technician": "r",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.training.attendance": {
        "technician": "r",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.growth.plan": {
        "technician": "rwcu",
        "specialist": "rwcu",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.growth.goal": {
        "technician": "rwcu",
        "specialist": "rwcu",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.display.check": {
        "technician": "",
        "specialist": "rw",
        "manager": "rw",
        "gm": "rw",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.display.check.line": {
        "technician": "",
        "specialist": "rw",
        "manager": "rw",
        "gm": "rw",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.followup": {
        "technician": "",
        "specialist": "rw",
        "manager": "rw",
        "gm": "rw",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.complaint": {
        "technician": "r",
        "specialist": "rwc",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.feedback": {
        "technician": "",
        "specialist": "rwc",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.feedback.tag": {
        "technician": "",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.satisfaction.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    # Sales plans: the manager writes them, the general manager approves them (actions), the dealership's
    # specialists and the group read them; no money for technicians.
    "jingpin.sales.plan": {
        "technician": "",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.sales.plan.line": {
        "technician": "",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    # Personal targets: set by the manager, read by each seller (his own, by record rule).
    "jingpin.personal.target": {
        "technician": "",
        "specialist": "r",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "r",
        "viewer": "r",
    },
    # Sales analysis and revenue per car: read by those who sell and the group; no money for technicians.
    "jingpin.accessory.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.car.delivery.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.plan.achievement.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    # Daily reports: built and sent by the server only; read by those who sell and the group.
    "jingpin.daily.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    # Their analysis lines likewise; the wizard that opens a report for a period is the manager's
    # and the group's (it builds a report server side, never sends it).
    "jingpin.daily.report.line": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.report.period.wizard": {
        "technician": "",
        "specialist": "",
        "manager": "rwc",
        "gm": "rwc",
        "consultant": "",
        "viewer": "rwc",
    },
    # The appraisal: every member of the department reads it (record rules: his own row; the
    # manager and the group everyone's).
    "jingpin.appraisal.report": {
        "technician": "r",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.loan": {
        "technician": "",
        "specialist": "rwcu",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.loan.line": {
        "technician": "",
        "specialist": "rwcu",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.reconciliation.issue": {
        "technician": "",
        "specialist": "rw",
        "manager": "rw",
        "gm": "rw",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.stock.ageing.report": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    # The month's group purchase order: read by the specialist (stock user; writing it as a billing
    # user is refused on the suggestion's lines and state by purchase.order's own check), changed and
    # confirmed by the accessories manager (a purchase user).
    "purchase.order": {
        "technician": "",
        "specialist": "rw",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "",
    },
    "purchase.order.line": {
        "technician": "",
        "specialist": "rw",
        "manager": "rwcu",
        "gm": "rwcu",
        "consultant": "",
        "viewer": "",
    },
    # The daily figures and their analysis: read like the sales analysis, written by the server only.
    "jingpin.figure.daily": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.figure.analysis": {
        "technician": "",
        "specialist": "r",
        "manager": "r",
        "gm": "r",
        "consultant": "",
        "viewer": "r",
    },
    "jingpin.figure.stale": {
        "technician": "",
        "specialist": "",
        "manager": "",
        "gm": "",
        "consultant": "",
        "viewer": "",
    },
}


@tagged("post_install", "-at_install")
class TestAccessMatrix(JingpinCommon):
    """Model-level rights of every role on every model of the department, refusals included."""

    def test_access_matrix(self):
        for model, rights in MATRIX.items():
            for role, allowed in rights.items():
                user = getattr(self, role)
                for letter, operation in OPERATIONS.items():
                    with self.subTest(model=model, role=role, operation=operation):
                        self.assertEqual(
                            self.env[model].with_user(user).has_access(operation),
                            letter in allowed,
                            f"{role} {'may' if letter in allowed else 'may not'} {operation} {model}",
                        )
