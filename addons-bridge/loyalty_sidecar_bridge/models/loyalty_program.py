# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class LoyaltyProgram(models.Model):
    _inherit = 'loyalty.program'

    # Columns the sidecar adds to loyalty_program (same names and types as its migrations).
    membership_product_id = fields.Many2one(
        'product.product', string='Membership Tier', ondelete='set null', domain="[('membership', '=', True)]",
        help="Only customers holding this membership, or a tier ranked at least as high, get this program.")
    is_primary_loyalty = fields.Boolean(
        string='Primary Loyalty Program',
        help="Every new customer gets a card of this program (the loyalty sidecar gives it).")
    points_validity_days = fields.Integer(
        string='Points Validity (days)',
        help="Points earned expire this many days after the order. Empty: they never expire.")
    referral_points = fields.Float(
        string='Referral Points',
        help="Points the referrer's card of this program gets when a customer who gave their "
             "referral code at the till has their first paid order. Empty: no referral reward.")
