# Part of the Odoo loyalty sidecar. License LGPL-3.
from datetime import datetime, time, timedelta

from odoo import api, models

from ..wizard.report_period import report_period


class VendorCommissionStatement(models.AbstractModel):
    """Per vendor and period: the commission lines (vendor.commission.line, the sidecar's view),
    their totals per rule and category, and the total commission. Days are UTC days, as the
    sidecar's reports date them."""
    _name = 'report.loyalty_sidecar_bridge.report_vendor_commission'
    _description = 'Vendor Commission Statement'

    @api.model
    def _get_report_values(self, docids, data=None):
        date_from, date_to = report_period(data)
        vendors = self.env['res.partner'].browse(docids)
        Line = self.env['vendor.commission.line']
        statements = {}
        for vendor in vendors:
            domain = [('vendor_id', '=', vendor.id),
                      ('date', '>=', datetime.combine(date_from, time.min)),
                      ('date', '<', datetime.combine(date_to + timedelta(days=1), time.min))]
            sums = ['qty:sum', 'base_amount:sum', 'commission_amount:sum']
            [total] = Line._read_group(domain, [], sums)
            statements[vendor.id] = {
                'lines': Line.search(domain, order='date, id'),
                'groups': [{'rule': rule, 'categ': categ, 'qty': qty, 'base_amount': base, 'commission_amount': commission}
                           for rule, categ, qty, base, commission in Line._read_group(domain, ['rule_id', 'categ_id'], sums)],
                'total': dict(zip(['qty', 'base_amount', 'commission_amount'], (value or 0 for value in total))),
            }
        return {
            'doc_ids': vendors.ids,
            'doc_model': 'res.partner',
            'docs': vendors,
            'date_from': date_from,
            'date_to': date_to,
            'statements': statements,
        }
