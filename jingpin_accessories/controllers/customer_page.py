import binascii

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import content_disposition, request

from ..models.jingpin_customer_link import LINK_PATHS, token_digest

PAGES = {"confirm": "jingpin_accessories.customer_menu_page", "handover": "jingpin_accessories.customer_handover_page"}
REFUSED_PAGE = "jingpin_accessories.customer_link_refused_page"
# The door of each purpose in the address: /jingpin/c/<token> confirms, /jingpin/h/<token> hands over.
DOORS = {door: purpose for purpose, door in LINK_PATHS.items()}
ANY_DOOR = f"/jingpin/<any({','.join(DOORS)}):door>/<string:token>"


class JingpinCustomerPage(http.Controller):
    """The customer's pages on his own phone (B17), without an account: his accessory menu and its
    confirmation, how his car is getting on, and its handover.

    Every request is counted first (per token and address, then per address), and a refusal is an
    ordinary answer, never an exception, so that the count and the log are kept. A token opens one
    document's page for one purpose only, until it expires, is used or the document changes; once used
    to sign, it still opens the page to read (how the car is getting on, what he signed)."""

    def _open(self, token, purpose="confirm", follow=False):
        """The open link of ``token``, or the response refusing it (``follow``: to read only, a
        link used to sign still opens, see ``jingpin.customer.link._find``)."""
        ip_address = request.httprequest.remote_addr
        key = token_digest(token)
        requests = request.env["jingpin.customer.request"].sudo()
        if not requests._hit(key, ip_address, request.httprequest.path):
            return None, request.render(REFUSED_PAGE, {"limited": True}, status=429)
        link = request.env["jingpin.customer.link"]._find(token, purpose, follow=follow)
        requests._log_outcome(key, ip_address, "open" if link else "refused")
        if not link:
            return None, self._refused()
        # the page speaks the dealership's language
        lang = link.company_id.partner_id.lang or "zh_CN"
        request.update_context(lang=lang)
        return link.with_context(lang=lang), None

    def _refused(self):
        return request.render(REFUSED_PAGE, {"limited": False}, status=404)

    def _page(self, link, token, error=None):
        values = {
            "link": link,
            "token": token,
            "company": link.company_id,
            "needs_code": link._needs_sms_code(),
            "signed": bool(link.used_on),
            "doors": LINK_PATHS,
            "error": error,
        }
        if link.purpose == "handover":
            task = link.task_id
            values |= {
                "task": task,
                "bills": task.signature_ids._owed_bills() if link.used_on else task._jingpin_owed_bills(),
                "progress": task._jingpin_customer_progress(),
            }
        else:
            order = link.order_id
            items = order._jingpin_customer_items()
            values |= {
                "order": order,
                "items": items,
                "decisions": {line.id: link._decision_of(line).decision for line in items},
                "undecided": link._undecided_items(),
                "progress": order.work_order_ids._jingpin_customer_progress(),
            }
        return request.render(PAGES[link.purpose], values)

    def _act(self, token, action, door="c"):
        """Run ``action(link)`` in a savepoint; a refusal (raised, or the message it returns) is
        shown on the page."""
        link, refused = self._open(token, DOORS[door])
        if refused:
            return refused
        try:
            with request.env.cr.savepoint():
                error = action(link)
        except (UserError, ValidationError) as refusal:
            request.env.invalidate_all()
            error = refusal.args[0]
        if error:
            return self._page(link, token, error=error)
        return request.redirect(f"/jingpin/{door}/{token}")

    @http.route("/jingpin/c/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def customer_menu(self, token):
        link, refused = self._open(token, follow=True)
        return refused or self._page(link, token)

    @http.route("/jingpin/h/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def customer_handover(self, token):
        link, refused = self._open(token, "handover", follow=True)
        return refused or self._page(link, token)

    @http.route("/jingpin/c/<string:token>/decide", type="http", auth="public", methods=["POST"], sitemap=False)
    def customer_decide(self, token, line_id=None, decision=None, **kwargs):
        def decide(link):
            if decision not in ("accepted", "declined") or not str(line_id or "").isdigit():
                raise UserError(request.env._("Choose to accept or decline an item of your menu."))
            line = link.order_id.order_line.filtered(lambda line: line.id == int(line_id))
            link.order_id._jingpin_customer_decide(link, line, decision, request.httprequest.remote_addr)
            return None

        return self._act(token, decide)

    @http.route(f"{ANY_DOOR}/code", type="http", auth="public", methods=["POST"], sitemap=False)
    def customer_send_code(self, door, token, **kwargs):
        return self._act(token, lambda link: link._send_sms_code() and None, door)

    @http.route(f"{ANY_DOOR}/verify", type="http", auth="public", methods=["POST"], sitemap=False)
    def customer_verify_code(self, door, token, code=None, **kwargs):
        def verify(link):
            # a wrong code is answered, not raised: the attempt it used stays counted
            if not link._check_sms_code(code):
                return request.env._("This code is not the one sent, or it expired: ask for a new code.")
            return None

        return self._act(token, verify, door)

    @http.route(f"{ANY_DOOR}/sign", type="jsonrpc", auth="public", methods=["POST"], sitemap=False)
    def customer_sign(self, door, token, name=None, signature=None):
        """Sign the link's document (the confirmation, or the handover) with the signature pad."""
        purpose = DOORS[door]
        link, refused = self._open(token, purpose)
        if refused:
            return {"error": request.env._("This link is not valid any more: ask the dealership for a new one.")}
        if not name or not signature:
            return {"error": request.env._("Write your name and sign in the box.")}
        try:
            with request.env.cr.savepoint():
                link._sign(name, signature)
        except (UserError, ValidationError, TypeError, binascii.Error) as error:
            return {"error": error.args[0] if error.args else request.env._("Invalid signature data.")}
        return {"force_refresh": True, "redirect_url": f"/jingpin/{door}/{token}"}

    @http.route(f"{ANY_DOOR}/document/<int:attachment_id>", type="http", auth="public", methods=["GET"], sitemap=False)
    def customer_document(self, door, token, attachment_id):
        """A PDF of what he signed through this link, and nothing else."""
        link, refused = self._open(token, DOORS[door], follow=True)
        if refused:
            return refused
        document = link.document_ids.filtered(lambda attachment: attachment.id == attachment_id)
        if not document:
            return self._refused()
        return request.make_response(
            document.raw,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", content_disposition(document.name)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
