# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import models


class LoyaltySidecarReportView(models.AbstractModel):
    """A read-only reporting model over one of the SQL views the sidecar's migrations create
    (``_sidecar_table`` names the view). Odoo never creates nor drops the view: like the
    sidecar's tables it is read through ``_table_query`` (an empty set of the same columns until
    the view exists), and the model's ``_table`` names no relation. A view row has no audit
    columns."""
    _name = 'loyalty.sidecar.report.view'
    _inherit = 'loyalty.sidecar.table'
    _description = "Read-only reporting model over a view of the loyalty sidecar"
    _auto = False
    _log_access = False

