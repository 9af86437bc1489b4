# Part of the Odoo loyalty sidecar. License LGPL-3.
from . import sidecar_client
from . import sidecar_table
from . import ir_model
from . import base_automation
from . import loyalty_point_move
from . import loyalty_point_history
from . import sidecar_job_run
from . import loyalty_card
from . import loyalty_program
from . import product_template
from . import membership_line
from . import res_partner
from . import pos_order
from . import res_config_settings
