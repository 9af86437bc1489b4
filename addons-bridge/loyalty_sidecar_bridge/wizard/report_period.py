# Part of the Odoo loyalty sidecar. License LGPL-3.
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# The period a report covers when nobody chose one: the last 30 days, today included.
DEFAULT_DAYS = 30


def default_period(today):
    """(date_from, date_to) of the default period ending ``today``."""
    return today - timedelta(days=DEFAULT_DAYS - 1), today


def report_period(data):
    """The period a report's ``data`` carries (ISO dates), or the default one."""
    data = data or {}
    today = fields.Date.today()
    start, end = default_period(today)
    return (fields.Date.to_date(data.get('date_from')) or start,
            fields.Date.to_date(data.get('date_to')) or end)


class LoyaltySidecarReportPeriod(models.AbstractModel):
    """What the print wizards of the period reports share: the period (days, inclusive, UTC as
    the sidecar's views date their rows) and how it reaches the report (its ``data``)."""
    _name = 'loyalty.sidecar.report.period'
    _description = 'Loyalty sidecar report period'

    date_from = fields.Date(string='From', required=True, default=lambda self: default_period(fields.Date.today())[0])
    date_to = fields.Date(string='To', required=True, default=lambda self: fields.Date.today())

    @api.constrains('date_from', 'date_to')
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(_("The period ends before it starts."))

    def _print(self, report_xmlid, records):
        self.ensure_one()
        if not records:
            raise UserError(_("Choose at least one record to print."))
        data = {'date_from': fields.Date.to_string(self.date_from), 'date_to': fields.Date.to_string(self.date_to)}
        # config=False: print even when the company has not chosen its document layout yet.
        return self.env.ref(report_xmlid).report_action(records, data=data, config=False)
