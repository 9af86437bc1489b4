# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import api, models

from ..wizard.report_period import report_period

# The figures of promotion.result a report sums, in the order it prints them.
FIGURES = ['order_count', 'revenue', 'discount_amount', 'points_issued', 'points_redeemed', 'points_expired', 'new_cards']


class PromotionResultReport(models.AbstractModel):
    """Per program: the period's figures day by day and their totals, from promotion.result
    (the sidecar's view), read with the printing user's rights."""
    _name = 'report.loyalty_sidecar_bridge.report_promotion_result'
    _description = 'Promotion Result Report'

    @api.model
    def _get_report_values(self, docids, data=None):
        date_from, date_to = report_period(data)
        programs = self.env['loyalty.program'].browse(docids)
        aggregates = ['%s:sum' % name for name in FIGURES]
        results = {}
        for program in programs:
            domain = [('program_id', '=', program.id), ('date', '>=', date_from), ('date', '<=', date_to)]
            days = [dict(date=day, **dict(zip(FIGURES, (value or 0 for value in sums))))
                    for day, *sums in self.env['promotion.result']._read_group(domain, ['date:day'], aggregates, order='date:day')]
            [totals] = self.env['promotion.result']._read_group(domain, [], aggregates)
            # Customers of the period, each counted once (a day's row counts that day's customers).
            customers = self.env['promotion.result.details']._read_group(domain + [('partner_id', '!=', False)], ['partner_id'])
            refreshed = self.env['promotion.result'].search([], limit=1, order='refreshed_at desc').refreshed_at
            results[program.id] = {
                'days': days,
                'totals': dict(zip(FIGURES, (value or 0 for value in totals))),
                'customers': len(customers),
                'refreshed_at': refreshed,
            }
        return {
            'doc_ids': programs.ids,
            'doc_model': 'loyalty.program',
            'docs': programs,
            'date_from': date_from,
            'date_to': date_to,
            'results': results,
        }
