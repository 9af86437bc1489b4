"""A client written for Odoo 19's JSON-2 API, run against the sidecar on an Odoo 17 database.

    SIDECAR_URL=http://127.0.0.1:8070 ODOO_DB=production API_KEY=... python3 examples/json2_client.py

Nothing in it knows it is not talking to Odoo 19: POST /json/2/<model>/<method>, a bearer API key
(an Odoo 17 key from Preferences > Account Security works), X-Odoo-Database, named arguments.
"""
import os

import requests

BASE_URL = os.environ.get("SIDECAR_URL", "http://127.0.0.1:8070") + "/json/2"
headers = {
    "Authorization": f"bearer {os.environ['API_KEY']}",
    "X-Odoo-Database": os.environ.get("ODOO_DB", "sidecar"),
    "User-Agent": "json2-example",
}


def call(model, method, **params):
    res = requests.post(f"{BASE_URL}/{model}/{method}", headers=headers, json=params, timeout=30)
    if res.status_code != 200:
        error = res.json()
        raise RuntimeError(f"{res.status_code} {error['name']}: {error['message']}")
    return res.json()


# Odoo 19's documented pattern: search, then read the records found.
ids = call("res.partner", "search", domain=[("name", "ilike", "johnson")], context={"lang": "en_US"})
for partner in call("res.partner", "read", ids=ids, fields=["name", "email"]):
    cards = call("loyalty.card", "search_read", domain=[("partner_id", "=", partner["id"])], fields=["code", "points", "program_id"])
    print(partner["name"], [(c["code"], c["points"], c["program_id"][1]) for c in cards])

# A preview of the rewards an order would get (the sidecar's engine; writes nothing).
preview = call("pos.order", "loyalty_preview", order={"partner_id": ids[0], "lines": [{"product_id": 35, "qty": 1, "price_unit": 1500}]})
print("order total", preview["amount_total"], "points", [(p["program_id"], p["won"]) for p in preview["points"]])

# Errors carry Odoo 19's status and body.
try:
    call("no.such.model", "read")
except RuntimeError as e:
    print("refused:", e)
