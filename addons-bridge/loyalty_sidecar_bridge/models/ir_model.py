# Part of the Odoo loyalty sidecar. License LGPL-3.
"""Uninstalling the bridge leaves the sidecar's schema alone.

The fields this module declares on Odoo's own tables (loyalty_program.points_validity_days,
res_partner.referral_code, ...) are the sidecar's columns: the sidecar created them (or finds
them when this module came first) and keeps using them after the bridge is gone. Odoo drops a
module's columns and foreign keys when the module is uninstalled; for this module it removes
its records of them (ir.model.fields, ir.model.constraint) and leaves the columns and the keys
in place. Its own models read the sidecar's tables and views through ``_table_query`` and own
no relation, except vendor.commission, whose table the sidecar created and keeps.
"""
from odoo import models

MODULE = 'loyalty_sidecar_bridge'
# The sidecar's tables this module maps a real model onto: never dropped with the module.
SIDECAR_TABLES = {'vendor_commission'}


class IrModel(models.Model):
    _inherit = 'ir.model'

    def _drop_table(self):
        def is_sidecar_table(record):
            model = self.env.get(record.model)
            return model is not None and model._table in SIDECAR_TABLES
        return super(IrModel, self.filtered(lambda m: not is_sidecar_table(m)))._drop_table()


class IrModelFields(models.Model):
    _inherit = 'ir.model.fields'

    def _drop_column(self):
        def is_sidecar_column(field):
            model = self.env.get(field.model)
            declared = model is not None and model._fields.get(field.name)
            return bool(declared) and declared.store and MODULE in (declared._modules or ())
        return super(IrModelFields, self.filtered(lambda f: not is_sidecar_column(f)))._drop_column()


class IrModelConstraint(models.Model):
    _inherit = 'ir.model.constraint'

    def unlink(self):
        kept = self.filtered(lambda c: c.type == 'f' and c.module.name == MODULE)
        if kept:
            # The records only: the sidecar's foreign keys stay.
            self.env.cr.execute('DELETE FROM ir_model_constraint WHERE id IN %s', [tuple(kept.ids)])
            kept.invalidate_recordset()
        return super(IrModelConstraint, self - kept).unlink()
