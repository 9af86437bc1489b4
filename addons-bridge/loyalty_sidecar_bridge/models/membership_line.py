# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class MembershipLine(models.Model):
    _inherit = 'membership.membership_line'

    member_transaction_amount_total = fields.Float(
        string='Qualifying Spend', digits='Product Price', readonly=True,
        help="The spend that earned this tier. Only the lines the loyalty sidecar grants carry it.")

    def _compute_state(self):
        # A tier line the sidecar granted has no invoice: Odoo's computation would make it
        # 'none'. It is a free membership.
        tier_lines = self.browse(self._sidecar_tier_line_ids())
        super(MembershipLine, self - tier_lines)._compute_state()
        tier_lines.state = 'free'

    def _sidecar_tier_line_ids(self):
        """The lines of self the sidecar granted (member_transaction_amount_total set, no invoice)."""
        ids = [line_id for line_id in self.ids if isinstance(line_id, int)]
        if not ids:
            return []
        # SQL: a Float reads 0.0 for NULL, and "not set" is what marks a line that is not the sidecar's.
        self.env.cr.execute("""
            SELECT id FROM membership_membership_line
             WHERE id = ANY(%s) AND member_transaction_amount_total IS NOT NULL AND account_invoice_line IS NULL
        """, [ids])
        return [row[0] for row in self.env.cr.fetchall()]
