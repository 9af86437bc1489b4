"""One connection for everything: an XML-RPC client pointed only at the sidecar (started with
ODOO_URL) does its loyalty work, which the sidecar serves, and reads accounting, which the
sidecar forwards to Odoo with the same credentials.

    SIDECAR_URL=http://127.0.0.1:8070 ODOO_DB=production LOGIN=admin PASSWORD=admin python3 examples/one_front.py
"""
import os
import xmlrpc.client

url = os.environ.get("SIDECAR_URL", "http://127.0.0.1:8070")
db, login, password = os.environ.get("ODOO_DB", "sidecar"), os.environ.get("LOGIN", "admin"), os.environ.get("PASSWORD", "admin")

uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(db, login, password, {})
models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")


def call(model, method, *args, **kwargs):
    return models.execute_kw(db, uid, password, model, method, list(args), kwargs)


# Served by the sidecar: loyalty cards and their points.
cards = call("loyalty.card", "search_read", [("points", ">", 0)], fields=["code", "points", "partner_id"], limit=3, order="points desc")
for card in cards:
    print("card", card["code"], card["points"], card["partner_id"] and card["partner_id"][1])

# Forwarded to Odoo: accounting the sidecar does not carry.
for move in call("account.move", "search_read", [("state", "=", "posted")], fields=["name", "amount_total", "partner_id"], limit=3):
    print("move", move["name"], move["amount_total"])
print("receivables", call("account.move.line", "read_group", [("account_id.account_type", "=", "asset_receivable")], ["balance:sum"], ["partner_id"], limit=3))
# Forwarded too: a partner method only Odoo implements.
print("addresses", call("res.partner", "address_get", [cards[0]["partner_id"][0]], adr_pref=["invoice", "delivery"]))
