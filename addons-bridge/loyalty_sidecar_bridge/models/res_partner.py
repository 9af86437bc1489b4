# Part of the Odoo loyalty sidecar. License LGPL-3.
from datetime import date

from odoo import fields, models


class ResPartner(models.Model):
    _inherit = 'res.partner'

    referral_code = fields.Char(
        string='Referral Code', readonly=True, copy=False,
        help="The customer's own code to refer others with, issued by the loyalty sidecar.")

    def _loyalty_sidecar_partner_created(self):
        """Automation rule: the sidecar gives new partners the primary program's card and a
        referral code, once Odoo's transaction has committed."""
        self.env['loyalty.sidecar.client']._post_after_commit('/hooks/partner-created', self.ids)

    def _compute_membership_state(self):
        # A spend tier the sidecar granted never displaces a membership bought on an invoice:
        # when Odoo's computation took its state from a tier line while a bought line covers
        # today, the bought line decides (the sidecar computes the same).
        super()._compute_membership_state()
        today = fields.Date.today()
        tier_ids = set(self.member_lines._sidecar_tier_line_ids())
        if not tier_ids:
            return
        for partner in self:
            if partner.associate_member or partner.free_member:
                continue
            lines = partner.member_lines  # newest first, as Odoo's computation walks them
            deciding = next((line for line in lines if _covers(line, today) or _ended(line, today)), None)
            if deciding and deciding.id in tier_ids:
                bought = next((line for line in lines if line.account_invoice_line and _covers(line, today)), None)
                if bought:
                    partner.membership_state = bought.state


def _covers(line, today):
    return (line.date_to or date.min) >= today and (line.date_from or date.min) <= today


def _ended(line, today):
    start, end = line.date_from or date.min, line.date_to or date.min
    return start < today and end <= today and start < end
