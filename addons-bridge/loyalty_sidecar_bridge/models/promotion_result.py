# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class PromotionResult(models.Model):
    """Per program, UTC day, company and point of sale: what the program did (the sidecar's
    materialized view ``promotion_result``, refreshed by its report-refresh job; ``refreshed_at``
    says when). ``customer_count`` counts the day's distinct customers: summed over days it
    counts customer-days."""
    _name = 'promotion.result'
    _inherit = 'loyalty.sidecar.report.view'
    _auto = False
    _log_access = False
    _description = 'Promotion Result'
    _table = 'loyalty_sidecar_bridge_promotion_result'
    _sidecar_table = 'promotion_result'
    _order = 'date desc, id desc'

    program_id = fields.Many2one('loyalty.program', string='Program', readonly=True)
    date = fields.Date(string='Date', readonly=True)
    company_id = fields.Many2one('res.company', string='Company', readonly=True)
    config_id = fields.Many2one('pos.config', string='Point of Sale', readonly=True)
    order_count = fields.Integer(string='Orders', readonly=True)
    customer_count = fields.Integer(string='Customers', readonly=True)
    revenue = fields.Float(string='Revenue', readonly=True)
    discount_amount = fields.Float(string='Discount', readonly=True)
    points_issued = fields.Float(string='Points Issued', readonly=True)
    points_redeemed = fields.Float(string='Points Redeemed', readonly=True)
    points_expired = fields.Float(string='Points Expired', readonly=True)
    new_cards = fields.Integer(string='New Cards', readonly=True)
    refreshed_at = fields.Datetime(string='Refreshed on', readonly=True)
