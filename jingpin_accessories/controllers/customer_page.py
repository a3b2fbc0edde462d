import binascii

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.jingpin_customer_link import token_digest

PAGE = "jingpin_accessories.customer_menu_page"
REFUSED_PAGE = "jingpin_accessories.customer_link_refused_page"


class JingpinCustomerPage(http.Controller):
    """The customer's accessory menu on his own phone (B17), without an account.

    Every request is counted first (per token and address, then per address), and a refusal is an
    ordinary answer, never an exception, so that the count and the log are kept. A token opens one
    order's menu for one purpose only, until it expires, is used or the order changes."""

    def _open(self, token, purpose="confirm"):
        """The open link of ``token``, or the response refusing it."""
        ip_address = request.httprequest.remote_addr
        key = token_digest(token)
        requests = request.env["jingpin.customer.request"].sudo()
        if not requests._hit(key, ip_address, request.httprequest.path):
            return None, request.render(REFUSED_PAGE, {"limited": True}, status=429)
        link = request.env["jingpin.customer.link"]._find(token, purpose)
        requests._log_outcome(key, ip_address, "open" if link else "refused")
        if not link:
            return None, request.render(REFUSED_PAGE, {"limited": False}, status=404)
        # the page speaks the dealership's language
        lang = link.company_id.partner_id.lang or "zh_CN"
        request.update_context(lang=lang)
        return link.with_context(lang=lang), None

    def _page(self, link, token, error=None):
        order = link.order_id
        return request.render(
            PAGE,
            {
                "link": link,
                "token": token,
                "order": order,
                "company": order.company_id,
                "items": order._jingpin_customer_items(),
                "decisions": {line.id: link._decision_of(line).decision for line in order._jingpin_customer_items()},
                "undecided": link._undecided_items(),
                "needs_code": link._needs_sms_code(),
                "error": error,
            },
        )

    def _act(self, token, action):
        """Run ``action(link)`` in a savepoint; a refusal (raised, or the message it returns) is
        shown on the page."""
        link, refused = self._open(token)
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
        return request.redirect(f"/jingpin/c/{token}")

    @http.route("/jingpin/c/<string:token>", type="http", auth="public", methods=["GET"], sitemap=False)
    def customer_menu(self, token):
        link, refused = self._open(token)
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

    @http.route("/jingpin/c/<string:token>/code", type="http", auth="public", methods=["POST"], sitemap=False)
    def customer_send_code(self, token, **kwargs):
        return self._act(token, lambda link: link._send_sms_code() and None)

    @http.route("/jingpin/c/<string:token>/verify", type="http", auth="public", methods=["POST"], sitemap=False)
    def customer_verify_code(self, token, code=None, **kwargs):
        def verify(link):
            # a wrong code is answered, not raised: the attempt it used stays counted
            if not link._check_sms_code(code):
                return request.env._("This code is not the one sent, or it expired: ask for a new code.")
            return None

        return self._act(token, verify)

    @http.route("/jingpin/c/<string:token>/sign", type="jsonrpc", auth="public", methods=["POST"], sitemap=False)
    def customer_sign(self, token, name=None, signature=None):
        link, refused = self._open(token)
        if refused:
            return {"error": request.env._("This link is not valid any more: ask the dealership for a new one.")}
        if not name or not signature:
            return {"error": request.env._("Write your name and sign in the box.")}
        try:
            with request.env.cr.savepoint():
                link.order_id._jingpin_customer_sign(link, name, signature)
        except (UserError, ValidationError, TypeError, binascii.Error) as error:
            return {"error": error.args[0] if error.args else request.env._("Invalid signature data.")}
        return {"force_refresh": True, "redirect_url": "/jingpin/signed"}

    @http.route("/jingpin/signed", type="http", auth="public", methods=["GET"], sitemap=False, readonly=True)
    def customer_signed(self):
        return request.render("jingpin_accessories.customer_signed_page", {})
