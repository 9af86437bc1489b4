# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class LoyaltyPointHistory(models.Model):
    """The per-card history the sidecar writes with every move (the shape of Odoo 18's
    loyalty.history): what was issued and used, and by which order."""
    _name = 'loyalty.point.history'
    _inherit = 'loyalty.sidecar.table'
    _auto = False  # no table of its own: _table_query reads the sidecar's
    _log_access = True  # its table has create_uid, create_date, write_uid, write_date
    _description = 'History for Loyalty cards and Ewallets'
    _table = 'loyalty_sidecar_bridge_point_history'
    _sidecar_table = 'loyalty_point_history'
    _order = 'id desc'

    card_id = fields.Many2one('loyalty.card', string='Card', required=True, readonly=True)
    partner_id = fields.Many2one(related='card_id.partner_id', string='Customer')
    program_id = fields.Many2one(related='card_id.program_id', string='Program')
    company_id = fields.Many2one('res.company', string='Company', readonly=True)
    description = fields.Text(string='Description', required=True, readonly=True)
    issued = fields.Float(string='Issued', readonly=True)
    used = fields.Float(string='Used', readonly=True)
    order_model = fields.Char(string='Order Model', readonly=True)
    order_id = fields.Integer(string='Order ID', readonly=True)
