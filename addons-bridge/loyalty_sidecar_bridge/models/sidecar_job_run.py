# Part of the Odoo loyalty sidecar. License LGPL-3.
import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)


class SidecarJobRun(models.Model):
    """One trigger of one of the sidecar's scheduled jobs: by the sidecar's own schedule, by
    Odoo's scheduled actions (this module's crons) or by hand. A job with a period (hourly,
    daily, weekly) does its work once per period whoever triggers it; the other triggers of the
    period are recorded as skipped."""
    _name = 'sidecar.job.run'
    _inherit = 'loyalty.sidecar.table'
    _auto = False  # no table of its own: _table_query reads the sidecar's
    _log_access = True  # its table has create_uid, create_date, write_uid, write_date
    _description = 'Sidecar Job Run'
    _table = 'loyalty_sidecar_bridge_job_run'
    _sidecar_table = 'sidecar_job_run'
    _order = 'started_at desc, id desc'
    _rec_name = 'job'

    job = fields.Char(string='Job', required=True, readonly=True)
    period_key = fields.Char(string='Period', readonly=True)
    trigger = fields.Selection([
        ('schedule', 'Sidecar schedule'),
        ('odoo', 'Odoo scheduled action'),
        ('cli', 'Command line'),
    ], string='Triggered by', required=True, readonly=True)
    state = fields.Selection([
        ('done', 'Done'),
        ('failed', 'Failed'),
        ('skipped', 'Skipped'),
    ], string='Status', required=True, readonly=True)
    started_at = fields.Datetime(string='Started', required=True, readonly=True)
    finished_at = fields.Datetime(string='Finished', readonly=True)
    rows_touched = fields.Integer(string='Rows touched', readonly=True)
    result = fields.Text(string='Result', readonly=True)
    error = fields.Text(string='Error', readonly=True)

    @api.model
    def _run_sidecar_job(self, job):
        """What this module's scheduled actions call: the sidecar runs ``job`` under its lock,
        once per period, and records the run (readable here when the sidecar answers)."""
        answer = self.env['loyalty.sidecar.client']._post('/hooks/job', {'job': job, 'uid': self.env.uid}, job=True)
        if answer is None:
            _logger.info("loyalty sidecar: job %s not triggered (sidecar unreachable); its own schedule runs it", job)
            return False
        status, data = answer
        data = data if isinstance(data, dict) else {}
        if status == 200:
            _logger.info("loyalty sidecar: job %s %s (run %s)", job, data.get('state'), data.get('run_id'))
            return True
        _logger.warning("loyalty sidecar: job %s answered %s (%s, run %s)", job, status, data.get('state') or data.get('error'), data.get('run_id'))
        return False
