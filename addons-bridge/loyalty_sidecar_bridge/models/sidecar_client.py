# Part of the Odoo loyalty sidecar. License LGPL-3.
"""Signed hooks to the loyalty sidecar.

Every hook is a POST of a JSON object to ``<url>/hooks/<name>`` with the headers

    X-Sidecar-Timestamp: <unix seconds>
    X-Sidecar-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>

(the sidecar refuses a hook more than 300 s away from its clock). The URL and the secret are
the ``loyalty_sidecar_bridge.url`` and ``loyalty_sidecar_bridge.secret`` system parameters.

A sidecar that is not configured, down or slow never fails an Odoo operation: every send has a
short timeout (``loyalty_sidecar_bridge.timeout``, seconds) and every error is caught and logged;
the sidecar's own sweep catches up with what it did not hear.
"""
import hashlib
import hmac
import json
import logging
import time

import urllib3

from odoo import api, models

_logger = logging.getLogger(__name__)

PARAM_URL = 'loyalty_sidecar_bridge.url'
PARAM_SECRET = 'loyalty_sidecar_bridge.secret'
PARAM_TIMEOUT = 'loyalty_sidecar_bridge.timeout'
PARAM_JOB_TIMEOUT = 'loyalty_sidecar_bridge.job_timeout'
# Hooks are sent after Odoo's commit but before Odoo answers the user: keep them short.
DEFAULT_TIMEOUT = 1.0
# A job may take a while; Odoo's cron thread waits for its outcome (the sidecar goes on anyway).
DEFAULT_JOB_TIMEOUT = 60.0

# Kept-alive connections to the sidecar, shared by the server's threads (urllib3's pool is
# thread-safe; Odoo's threaded server starts a thread per request, so per-thread connections
# would be opened anew for every hook).
_pool = urllib3.PoolManager(maxsize=8, retries=False)


def sign(secret, timestamp, body):
    """The X-Sidecar-Signature value of ``body`` (bytes) sent at ``timestamp`` (int seconds)."""
    digest = hmac.new(secret.encode(), b'%d.' % timestamp + body, hashlib.sha256).hexdigest()
    return 'sha256=' + digest


def post_hook(config, path, payload, timeout=None):
    """POSTs a signed hook. Returns ``(status, decoded JSON body or None)``, or None when the
    sidecar is not configured or cannot be reached in time. Never raises."""
    url, secret, default_timeout = config
    if not url or not secret:
        return None
    body = json.dumps(payload, separators=(',', ':')).encode()
    timestamp = int(time.time())
    headers = {
        'Content-Type': 'application/json',
        'X-Sidecar-Timestamp': str(timestamp),
        'X-Sidecar-Signature': sign(secret, timestamp, body),
    }
    started = time.monotonic()
    try:
        response = _pool.request('POST', url + path, body=body, headers=headers, timeout=urllib3.Timeout(total=timeout or default_timeout))
    except Exception as error:  # noqa: BLE001 -- a hook must never fail Odoo's operation
        _logger.info("loyalty sidecar: %s not delivered (%s); the sidecar's sweep catches up", path, type(error).__name__)
        return None
    _logger.debug("loyalty sidecar: %s %s answered %s in %.1f ms", path, payload.get('ids', ''), response.status, (time.monotonic() - started) * 1000)
    try:
        data = json.loads(response.data)
    except ValueError:
        data = None
    return response.status, data


class LoyaltySidecarClient(models.AbstractModel):
    _name = 'loyalty.sidecar.client'
    _description = 'Loyalty Sidecar: signed hooks'

    @api.model
    def _config(self, timeout_param=PARAM_TIMEOUT, default_timeout=DEFAULT_TIMEOUT):
        """(url, secret, timeout) as the system parameters say."""
        get = self.env['ir.config_parameter'].sudo().get_param
        try:
            timeout = float(get(timeout_param) or default_timeout)
        except ValueError:
            timeout = default_timeout
        return (get(PARAM_URL) or '').strip().rstrip('/'), get(PARAM_SECRET) or '', timeout

    @api.model
    def _post(self, path, payload, job=False):
        """Sends a hook now and waits for the answer (see post_hook)."""
        config = self._config(PARAM_JOB_TIMEOUT, DEFAULT_JOB_TIMEOUT) if job else self._config()
        return post_hook(config, path, payload)

    @api.model
    def _post_after_commit(self, path, ids):
        """Sends the hook ``path`` with ``{"ids": [...], "uid": ...}`` once the current transaction
        has committed (before, the sidecar could not see the records). The ids of one transaction
        go in one hook per path; nothing is sent when the transaction rolls back."""
        if not ids:
            return
        postcommit = self.env.cr.postcommit
        key = 'loyalty_sidecar_bridge.hook:' + path
        pending = postcommit.data.get(key)
        if pending is None:
            # Read now: after the commit, the callback must not use the cursor.
            pending = postcommit.data[key] = {'config': self._config(), 'ids': [], 'uid': self.env.uid}

            @postcommit.add
            def send():
                try:
                    # "wait": false: the sidecar accepts at once and does the work in the background,
                    # so Odoo answers its user without waiting for it (the sweep catches up failures).
                    post_hook(pending['config'], path, {'ids': pending['ids'], 'uid': pending['uid'], 'wait': False})
                except Exception:  # noqa: BLE001 -- an error here would abort the user's operation
                    _logger.exception("loyalty sidecar: %s could not be sent", path)
        pending['ids'].extend(i for i in ids if i not in pending['ids'])

    @api.model
    def _pos_coupons(self, method, orders, args):
        """The sidecar's answer to pos.order ``method`` (validate/confirm_coupon_programs), or
        None when it cannot give one: then Odoo's own code answers the till."""
        answer = self._post('/hooks/pos-coupons', {'method': method, 'ids': orders.ids, 'args': args, 'uid': self.env.uid})
        if answer is None:
            return None
        status, data = answer
        if status == 200 and isinstance(data, dict) and 'result' in data:
            return data['result']
        error = (data or {}).get('error') if isinstance(data, dict) else None
        message = (error.get('data') or {}).get('message') or error.get('message') if isinstance(error, dict) else error
        _logger.warning("loyalty sidecar: %s of %s refused (%s: %s); Odoo's own code answers", method, orders, status, message)
        return None
