# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class VendorCommissionPrint(models.TransientModel):
    """Prints the commission statement of vendors over a period (from a partner: its own)."""
    _name = 'vendor.commission.print'
    _inherit = 'loyalty.sidecar.report.period'
    _description = 'Print Vendor Commission Statements'

    vendor_ids = fields.Many2many(
        'res.partner', string='Vendors', required=True,
        default=lambda self: self.env['res.partner'].browse(self.env.context.get('active_ids', []))
        if self.env.context.get('active_model') == 'res.partner' else False)

    def action_print(self):
        return self._print('loyalty_sidecar_bridge.action_report_vendor_commission', self.vendor_ids)
