# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import api, models

PAID_STATES = ('paid', 'done', 'invoiced')


class ReferralCodeReport(models.AbstractModel):
    """Per partner: their referral code, who referred them (their first order's code), the paid
    orders that used their code and the first orders it brought (pos.order.first)."""
    _name = 'report.loyalty_sidecar_bridge.report_referral_codes'
    _description = 'Referral Codes Report'

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env['res.partner'].browse(docids)
        First = self.env['pos.order.first']
        referrals = {}
        for partner in partners:
            code = partner.referral_code
            referrals[partner.id] = {
                'referrer': First.search([('partner_id', '=', partner.id)], limit=1).referrer_id,
                'uses': self.env['pos.order'].search_count(
                    [('referral_code_used', '=', code), ('state', 'in', PAID_STATES)]) if code else 0,
                'first_orders': First.search([('referrer_id', '=', partner.id)], order='date_order, id'),
            }
        return {
            'doc_ids': partners.ids,
            'doc_model': 'res.partner',
            'docs': partners,
            'referrals': referrals,
        }
