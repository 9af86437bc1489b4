# Part of the Odoo loyalty sidecar. License LGPL-3.
from . import models
from . import report
from . import wizard
