# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import api, fields, models


class LoyaltyCardStatement(models.AbstractModel):
    """Per card: its balance, its moves in the sidecar's ledger, and the next points to expire
    (the earliest expiration date among its lots with points left, and those points)."""
    _name = 'report.loyalty_sidecar_bridge.report_loyalty_card_statement'
    _description = 'Loyalty Card Statement'

    @api.model
    def _get_report_values(self, docids, data=None):
        cards = self.env['loyalty.card'].browse(docids)
        today = fields.Date.context_today(self)
        statements = {}
        for card in cards:
            moves = self.env['loyalty.point.move'].search([('card_id', '=', card.id)], order='create_date, id')
            lots = moves.filtered(lambda m: m.remaining > 0 and m.expiration_date and m.expiration_date >= today)
            next_date = min(lots.mapped('expiration_date'), default=False)
            statements[card.id] = {
                'moves': moves,
                'next_expiry_date': next_date,
                'next_expiry_points': sum(lots.filtered(lambda m: m.expiration_date == next_date).mapped('remaining')),
            }
        return {
            'doc_ids': cards.ids,
            'doc_model': 'loyalty.card',
            'docs': cards,
            'statements': statements,
        }
