# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models

MOVE_KINDS = [
    ('opening', 'Opening balance'),
    ('earn', 'Earned'),
    ('redeem', 'Redeemed'),
    ('expire', 'Expired'),
    ('adjust', 'Adjustment'),
    ('refund', 'Refund'),
]


class LoyaltyPointMove(models.Model):
    """The sidecar's points ledger: every change of a card's points is a move, so a card's points
    are the sum of its moves. Earned points are lots that expire; redeems draw from them."""
    _name = 'loyalty.point.move'
    _inherit = 'loyalty.sidecar.card.entry'
    _auto = False  # no table of its own: _table_query reads the sidecar's
    _log_access = True  # its table has create_uid, create_date, write_uid, write_date
    _description = 'Loyalty Point Move'
    _table = 'loyalty_sidecar_bridge_point_move'
    _sidecar_table = 'loyalty_point_move'
    _order = 'id desc'

    kind = fields.Selection(MOVE_KINDS, string='Kind', required=True, readonly=True)
    points = fields.Float(string='Points', required=True, readonly=True)
    remaining = fields.Float(string='Remaining in lot', readonly=True)
    expiration_date = fields.Date(string='Valid until', readonly=True)
    lot_id = fields.Many2one('loyalty.point.move', string='Expired lot', readonly=True)
    pos_order_id = fields.Many2one('pos.order', string='POS Order', readonly=True)
    reference = fields.Char(string='Reference', readonly=True)
    reason = fields.Text(string='Reason', readonly=True)
    idempotency_key = fields.Char(string='Idempotency Key', readonly=True)
