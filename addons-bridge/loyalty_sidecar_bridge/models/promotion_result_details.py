# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class PromotionResultDetails(models.Model):
    """One row per paid POS order and reward line, and one per order and program whose card
    won or spent points without a reward line (the sidecar's view ``promotion_result_details``)."""
    _name = 'promotion.result.details'
    _inherit = 'loyalty.sidecar.report.view'
    _auto = False
    _log_access = False
    _description = 'Promotion Result Details'
    _table = 'loyalty_sidecar_bridge_promotion_result_details'
    _sidecar_table = 'promotion_result_details'
    _order = 'date desc, id desc'

    order_id = fields.Many2one('pos.order', string='Order', readonly=True)
    line_id = fields.Many2one('pos.order.line', string='Reward Line', readonly=True)
    date = fields.Date(string='Date', readonly=True)
    partner_id = fields.Many2one('res.partner', string='Customer', readonly=True)
    program_id = fields.Many2one('loyalty.program', string='Program', readonly=True)
    reward_id = fields.Many2one('loyalty.reward', string='Reward', readonly=True)
    company_id = fields.Many2one('res.company', string='Company', readonly=True)
    config_id = fields.Many2one('pos.config', string='Point of Sale', readonly=True)
    discount_amount = fields.Float(string='Discount', readonly=True)
    points_won = fields.Float(string='Points Won', readonly=True)
    points_spent = fields.Float(string='Points Spent', readonly=True)
