# Part of the Odoo loyalty sidecar. License LGPL-3.
from . import promotion_result_report
from . import referral_code_report
from . import loyalty_card_statement
from . import vendor_commission_statement
