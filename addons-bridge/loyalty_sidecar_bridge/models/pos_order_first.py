# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class PosOrderFirst(models.Model):
    """Per customer, the first paid POS order, and who referred them when the code they gave
    at the till is a partner's (the sidecar's view ``pos_order_first``; id = the customer's)."""
    _name = 'pos.order.first'
    _inherit = 'loyalty.sidecar.report.view'
    _auto = False
    _log_access = False
    _description = 'First POS Order'
    _table = 'loyalty_sidecar_bridge_pos_order_first'
    _sidecar_table = 'pos_order_first'
    _order = 'date_order desc, id desc'

    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    order_id = fields.Many2one('pos.order', string='Order', readonly=True)
    date_order = fields.Datetime(string='Date', readonly=True)
    company_id = fields.Many2one('res.company', string='Company', readonly=True)
    config_id = fields.Many2one('pos.config', string='Point of Sale', readonly=True)
    amount_total = fields.Float(string='Total', readonly=True)
    referral_code_used = fields.Char(string='Referral Code Used', readonly=True)
    referrer_id = fields.Many2one('res.partner', string='Referrer', readonly=True)
