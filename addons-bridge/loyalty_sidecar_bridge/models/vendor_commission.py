# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

COMMISSION_TYPES = [('percentage', 'Percentage'), ('fixed', 'Fixed per unit')]


class VendorCommission(models.Model):
    """What a marketplace pays a vendor on the POS sales of its products, per product category.

    A real model over the table ``vendor_commission`` that the sidecar's migration 0222 creates
    (and the sidecar also writes through its own RPC): every field is declared with the
    sidecar's column type, nullability and foreign-key action, so installing this module on a
    migrated database changes no column, and installing it first creates the table the
    migration then finds in place. Uninstalling keeps the table (ir_model.py)."""
    _name = 'vendor.commission'
    _description = 'Vendor Commission'
    _table = 'vendor_commission'
    _order = 'vendor_id, categ_id, date_from desc, id desc'

    vendor_id = fields.Many2one('res.partner', string='Vendor', required=True, ondelete='restrict')
    categ_id = fields.Many2one('product.category', string='Product Category', ondelete='cascade',
                               help="Empty: every category. The most specific rule of a product's category wins.")
    commission_type = fields.Selection(COMMISSION_TYPES, string='Commission Type', required=True, default='percentage',
                                       help="Percentage of the line's amount before tax, or a fixed amount per unit sold.")
    # numeric, as the sidecar's column (a Float with digits is numeric in Odoo).
    value = fields.Float(string='Value', required=True, digits=(16, 4))
    date_from = fields.Date(string='Effective From')
    date_to = fields.Date(string='Effective To')
    active = fields.Boolean(string='Active', default=True)
    company_id = fields.Many2one('res.company', string='Company', required=True, ondelete='restrict',
                                 default=lambda self: self.env.company)

    @api.constrains('value', 'commission_type')
    def _check_value(self):
        for rule in self:
            if rule.value < 0:
                raise ValidationError(_("A commission cannot be negative."))
            if rule.commission_type == 'percentage' and rule.value > 100:
                raise ValidationError(_("A percentage commission cannot exceed 100."))

    @api.constrains('date_from', 'date_to')
    def _check_dates(self):
        for rule in self:
            if rule.date_from and rule.date_to and rule.date_to < rule.date_from:
                raise ValidationError(_("A commission rule cannot end before it starts."))

    def _commission_label(self):
        """The rule as a statement prints it: '10%' or '2 / unit', and its category."""
        self.ensure_one()
        amount = '%g%%' % self.value if self.commission_type == 'percentage' else '%g / unit' % self.value
        return '%s on %s' % (amount, self.categ_id.display_name or _('all categories'))
