# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class PromotionResultPrint(models.TransientModel):
    """Prints the promotion result of programs over a period (from a program: its own)."""
    _name = 'promotion.result.print'
    _inherit = 'loyalty.sidecar.report.period'
    _description = 'Print Promotion Results'

    program_ids = fields.Many2many(
        'loyalty.program', string='Programs', required=True,
        default=lambda self: self.env['loyalty.program'].browse(self.env.context.get('active_ids', []))
        if self.env.context.get('active_model') == 'loyalty.program' else False)

    def action_print(self):
        return self._print('loyalty_sidecar_bridge.action_report_promotion_result', self.program_ids)
