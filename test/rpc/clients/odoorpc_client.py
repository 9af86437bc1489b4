"""Drives the sidecar with OdooRPC (JSON-RPC and web session endpoints), as its users do.
Prints one JSON object: what each step answered (or the error it raised)."""
import json
import sys

import odoorpc

host, port, db, part = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = {}


def step(name, fn):
    try:
        out[name] = fn()
    except Exception as e:  # noqa: BLE001 - the test reports whatever the client raised
        out[name] = {'error': '%s: %s' % (type(e).__name__, e)}


odoo = odoorpc.ODOO(host, protocol='jsonrpc', port=port)
out['version'] = odoo.version
odoo.login(db, 'admin', 'admin')
out['uid'] = odoo.env.uid
if part == 'read':
    def wrong():
        other = odoorpc.ODOO(host, protocol='jsonrpc', port=port)
        other.login(db, 'admin', 'wrong')
        return 'logged in'
    step('wrong_password', wrong)
    step('search_read', lambda: odoo.execute_kw('res.partner', 'search_read', [[['id', '=', 14]]], {'fields': ['name']}))
    step('read', lambda: odoo.execute('loyalty.card', 'read', [20], ['points']))
    step('model_read', lambda: odoo.env['res.partner'].read([14], ['name']))
    step('browse', lambda: odoo.env['res.partner'].browse(14).name)
else:
    def crud():
        Partner = odoo.env['res.partner']
        new_id = Partner.create({'name': 'Probe from OdooRPC'})
        Partner.write([new_id], {'name': 'Probe renamed'})
        name = Partner.read([new_id], ['name'])[0]['name']
        Partner.unlink([new_id])
        return {'id_type': type(new_id).__name__, 'name': name, 'gone': Partner.search([('id', '=', new_id)])}
    step('crud', crud)
odoo.logout()
print(json.dumps(out))
