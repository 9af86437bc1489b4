# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import _, fields, models

from .sidecar_client import DEFAULT_TIMEOUT, PARAM_SECRET, PARAM_TIMEOUT, PARAM_URL, post_hook


class ResConfigSettings(models.TransientModel):
    _inherit = 'res.config.settings'

    loyalty_sidecar_url = fields.Char(string='Sidecar URL', config_parameter=PARAM_URL,
                                      help="Where the loyalty sidecar listens, e.g. http://127.0.0.1:8070")
    loyalty_sidecar_secret = fields.Char(string='Shared Secret', config_parameter=PARAM_SECRET,
                                         help="The sidecar's HOOK_SECRET: it signs every hook (HMAC-SHA256).")
    loyalty_sidecar_timeout = fields.Float(string='Hook Timeout (s)', config_parameter=PARAM_TIMEOUT, default=DEFAULT_TIMEOUT,
                                           help="How long Odoo waits for the sidecar before going on without it.")

    def action_loyalty_sidecar_test(self):
        """Sends a signed ping with the URL and secret as typed (saved or not)."""
        self.ensure_one()
        config = ((self.loyalty_sidecar_url or '').strip().rstrip('/'), self.loyalty_sidecar_secret or '', max(self.loyalty_sidecar_timeout or 0, 2.0))
        answer = post_hook(config, '/hooks/ping', {})
        if answer is None:
            ok, message = False, _("The sidecar could not be reached at %s.", config[0] or _("(no URL)"))
        elif answer[0] == 200 and isinstance(answer[1], dict) and answer[1].get('ok'):
            db = answer[1].get('db')
            ok = db == self.env.cr.dbname
            message = (_("Connected: the sidecar serves this database (%s).", db) if ok
                       else _("Connected, but the sidecar serves database %s, not %s.", db, self.env.cr.dbname))
        elif answer[0] == 401:
            ok, message = False, _("The sidecar refused the signature: the shared secret differs from its HOOK_SECRET.")
        else:
            ok, message = False, _("The sidecar answered %s.", answer[0])
        return {
            'type': 'ir.actions.client',
            'tag': 'display_notification',
            'params': {'title': _("Loyalty sidecar"), 'message': message, 'type': 'success' if ok else 'danger', 'sticky': False},
        }
