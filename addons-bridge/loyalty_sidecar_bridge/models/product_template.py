# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = 'product.template'

    # A membership product with these is a spend tier: the sidecar grants it to customers whose
    # paid POS orders over the window reach the qualifying spend.
    membership_min_amount = fields.Float(
        string='Qualifying Spend', digits='Product Price',
        help="Spend over the window that earns this membership as a tier (the loyalty sidecar grants it).")
    membership_window_days = fields.Integer(
        string='Spend Window (days)', help="Days of orders the qualifying spend is summed over (empty: 365).")
    membership_rank = fields.Integer(
        string='Tier Rank', help="Higher is better: a customer holds the best tier their spend earns.")
