# Part of the Odoo loyalty sidecar. License LGPL-3.
from . import report_period
from . import promotion_result_print
from . import vendor_commission_print
