# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models


class VendorCommissionLine(models.Model):
    """One row per paid POS order line (refunds negative): its vendor (the product's main
    supplier), the commission rule that applies and the commission (the sidecar's view
    ``vendor_commission_line``; id = the order line's)."""
    _name = 'vendor.commission.line'
    _inherit = 'loyalty.sidecar.report.view'
    _auto = False
    _log_access = False
    _description = 'Vendor Commission Line'
    _table = 'loyalty_sidecar_bridge_vendor_commission_line'
    _sidecar_table = 'vendor_commission_line'
    _order = 'date desc, id desc'

    order_id = fields.Many2one('pos.order', string='Order', readonly=True)
    line_id = fields.Many2one('pos.order.line', string='Order Line', readonly=True)
    date = fields.Datetime(string='Date', readonly=True)
    vendor_id = fields.Many2one('res.partner', string='Vendor', readonly=True)
    product_id = fields.Many2one('product.product', string='Product', readonly=True)
    categ_id = fields.Many2one('product.category', string='Product Category', readonly=True)
    company_id = fields.Many2one('res.company', string='Company', readonly=True)
    rule_id = fields.Many2one('vendor.commission', string='Commission Rule', readonly=True)
    base_amount = fields.Float(string='Base Amount', readonly=True)
    qty = fields.Float(string='Quantity', readonly=True)
    commission_amount = fields.Float(string='Commission', readonly=True)
