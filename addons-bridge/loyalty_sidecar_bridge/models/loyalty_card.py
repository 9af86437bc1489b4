# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class LoyaltyCard(models.Model):
    _inherit = 'loyalty.card'

    point_history_ids = fields.One2many('loyalty.point.history', 'card_id', string='History', readonly=True)
    point_move_ids = fields.One2many('loyalty.point.move', 'card_id', string='Point Moves', readonly=True)
