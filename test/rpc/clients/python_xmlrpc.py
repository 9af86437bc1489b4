"""Drives the sidecar with Python's own xmlrpc.client, as an integration script would.
Prints one JSON object: what each step answered (or the error it raised)."""
import json
import sys
import xmlrpc.client as xc

url, db, part = sys.argv[1], sys.argv[2], sys.argv[3]
common = xc.ServerProxy(url + '/xmlrpc/2/common')
models = xc.ServerProxy(url + '/xmlrpc/2/object')
out = {}


def step(name, fn):
    try:
        out[name] = fn()
    except xc.Fault as f:
        out[name] = {'fault': [f.faultCode, f.faultString.strip().splitlines()[-1]]}
    except Exception as e:  # noqa: BLE001 - the test reports whatever the client raised
        out[name] = {'error': '%s: %s' % (type(e).__name__, e)}


uid = common.authenticate(db, 'admin', 'admin', {})
out['uid'] = uid
if part == 'read':
    step('version', lambda: common.version()['server_version'])
    step('wrong_password', lambda: common.authenticate(db, 'admin', 'wrong', {}))
    step('wrong_password_call', lambda: models.execute_kw(db, uid, 'wrong', 'res.partner', 'search', [[]]))
    step('search_read', lambda: models.execute_kw(db, uid, 'admin', 'res.partner', 'search_read', [[['id', '=', 14]]], {'fields': ['name']}))
    step('read', lambda: models.execute_kw(db, uid, 'admin', 'loyalty.card', 'read', [[20]], {'fields': ['points', 'partner_id']}))
    out['points_type'] = type(out['read'][0]['points']).__name__ if isinstance(out.get('read'), list) else None
else:
    step('create', lambda: models.execute_kw(db, uid, 'admin', 'res.partner', 'create', [{'name': 'Probe from xmlrpc.client'}]))
    new_id = out['create']
    step('write', lambda: models.execute_kw(db, uid, 'admin', 'res.partner', 'write', [[new_id], {'name': 'Probe renamed'}]))
    step('read_back', lambda: models.execute_kw(db, uid, 'admin', 'res.partner', 'read', [[new_id]], {'fields': ['name']}))
    step('unlink', lambda: models.execute_kw(db, uid, 'admin', 'res.partner', 'unlink', [[new_id]]))
    step('gone', lambda: models.execute_kw(db, uid, 'admin', 'res.partner', 'search', [[['id', '=', new_id]]]))
print(json.dumps(out))
