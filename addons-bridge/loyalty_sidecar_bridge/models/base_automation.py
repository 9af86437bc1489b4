# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import api, models, tools


class BaseAutomation(models.Model):
    _inherit = 'base.automation'

    # Odoo 17 searches the automation rules of a model on every create, write and stored-field
    # recomputation of that model: with this module's rule on pos.order, several searches per
    # paid order, most of what the rule costs the till (bench/hooks.ts). The rules change
    # rarely: their ids per model and triggers are cached in the registry, and the cache is
    # cleared whenever a rule is created, deleted or changes model, trigger or active (the
    # changes after which Odoo itself re-patches the models).

    def _get_actions(self, records, triggers):
        if '__action_done' not in self._context:
            self = self.with_context(__action_done={})
        return self.browse(self._automation_ids(records._name, tuple(triggers)))

    @api.model
    @tools.ormcache('model_name', 'triggers')
    def _automation_ids(self, model_name, triggers):
        domain = [('model_name', '=', model_name), ('trigger', 'in', list(triggers))]
        return tuple(self.with_context(active_test=True).sudo().search(domain).ids)

    def _update_registry(self):
        super()._update_registry()
        self.env.registry.clear_cache()
