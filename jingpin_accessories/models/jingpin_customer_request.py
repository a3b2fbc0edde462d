import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# Requests allowed in one window: per token and address, and per address whatever the token.
WINDOW_MINUTES = 10
LIMIT_PER_TOKEN = 60
LIMIT_PER_ADDRESS = 120


class JingpinCustomerRequest(models.Model):
    """The log and the rate limit of the customer's public pages: one row per token (its digest's
    prefix, or ``*`` for the address as a whole), address and ten-minute window, counting the
    requests. The counter is raised by one ``INSERT … ON CONFLICT DO UPDATE``: the database counts
    requests that arrive at the same moment."""

    _name = "jingpin.customer.request"
    _description = "Customer Page Requests"
    _order = "window_start desc, id desc"

    key = fields.Char(required=True, readonly=True, help="The token's digest prefix, or * for all tokens.")
    ip_address = fields.Char(string="IP Address", required=True, readonly=True)
    window_start = fields.Datetime(required=True, readonly=True)
    hits = fields.Integer(readonly=True)
    last_path = fields.Char(readonly=True)
    last_outcome = fields.Char(readonly=True)

    _window_unique = models.UniqueIndex("(key, ip_address, window_start)")

    @api.model
    def _hit(self, key, ip_address, path):
        """Count one request of ``key`` from ``ip_address``; whether it stays within the limits."""
        now = fields.Datetime.now()
        window = now.replace(second=0, microsecond=0) - timedelta(minutes=now.minute % WINDOW_MINUTES)
        counts = []
        for row_key in (key[:16], "*"):
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO jingpin_customer_request
                        (key, ip_address, window_start, hits, last_path, create_date, write_date)
                    VALUES (%(key)s, %(ip)s, %(window)s, 1, %(path)s, %(now)s, %(now)s)
                    ON CONFLICT (key, ip_address, window_start)
                    DO UPDATE SET hits = jingpin_customer_request.hits + 1, last_path = EXCLUDED.last_path,
                                  write_date = EXCLUDED.write_date
                    RETURNING hits
                    """,
                    key=row_key,
                    ip=ip_address or "",
                    window=window,
                    path=(path or "")[:200],
                    now=now,
                )
            )
            counts.append(self.env.cr.fetchone()[0])
        allowed = counts[0] <= LIMIT_PER_TOKEN and counts[1] <= LIMIT_PER_ADDRESS
        _logger.info("customer page %s from %s: %s (%s)", path, ip_address, "allowed" if allowed else "limited", counts)
        return allowed

    @api.model
    def _log_outcome(self, key, ip_address, outcome):
        """Write what the last request of ``key`` from ``ip_address`` came to (opened, refused, signed...)."""
        self.env.cr.execute(
            SQL(
                "UPDATE jingpin_customer_request SET last_outcome = %s WHERE id = ("
                "SELECT id FROM jingpin_customer_request WHERE key = %s AND ip_address = %s "
                "ORDER BY window_start DESC LIMIT 1)",
                outcome,
                key[:16],
                ip_address or "",
            )
        )
