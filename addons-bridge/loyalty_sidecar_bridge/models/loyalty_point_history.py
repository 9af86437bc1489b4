# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class LoyaltyPointHistory(models.Model):
    """The per-card history the sidecar writes with every move (the shape of Odoo 18's
    loyalty.history): what was issued and used, and by which order."""
    _name = 'loyalty.point.history'
    _inherit = 'loyalty.sidecar.card.entry'
    _auto = False  # no table of its own: _table_query reads the sidecar's
    _log_access = True  # its table has create_uid, create_date, write_uid, write_date
    _description = 'History for Loyalty cards and Ewallets'
    _table = 'loyalty_sidecar_bridge_point_history'
    _sidecar_table = 'loyalty_point_history'
    _order = 'id desc'

    description = fields.Text(string='Description', required=True, readonly=True)
    issued = fields.Float(string='Issued', readonly=True)
    used = fields.Float(string='Used', readonly=True)
    order_model = fields.Char(string='Order Model', readonly=True)
    order_id = fields.Integer(string='Order ID', readonly=True)
