# Part of the Odoo loyalty sidecar. License LGPL-3.
from odoo import fields, models, tools
from odoo.tools import SQL

# Tables seen to exist, per database: the sidecar never drops its own tables.
_known_tables = set()


class LoyaltySidecarTable(models.AbstractModel):
    """A read-only model over one of the sidecar's own tables (``_sidecar_table``).

    The sidecar creates and writes those tables; Odoo only reads them, through ``_table_query``
    rather than a table or a view of its own, so that:

    - installing the addon before the sidecar ever ran works: until the table exists, the model
      reads an empty set of the same columns, and it reads the table as soon as it appears;
    - uninstalling the addon drops nothing of the sidecar's: Odoo drops a model's ``_table``,
      which here names no relation at all.

    The sidecar grants Odoo's database role SELECT on these tables (its README, "Attaching").
    Each model sets ``_auto = False`` (models.Model's own would win over this class's) and
    ``_log_access = True`` (the sidecar's tables have Odoo's audit columns).
    """
    _name = 'loyalty.sidecar.table'
    _description = "Read-only model over a table of the loyalty sidecar"
    _auto = False
    _sidecar_table = None

    @property
    def _table_query(self):
        columns = [(name, field) for name, field in self._fields.items() if field.store and field.column_type]
        if self._sidecar_table_exists():
            return SQL('SELECT %s FROM %s', SQL(', ').join(SQL.identifier(name) for name, _field in columns), SQL.identifier(self._sidecar_table)).code
        # Not created yet: the same columns, no row.
        return SQL('SELECT %s WHERE FALSE', SQL(', ').join(
            SQL('NULL::%s AS %s', SQL(field.column_type[1]), SQL.identifier(name)) for name, field in columns)).code

    def _sidecar_table_exists(self):
        key = (self.env.cr.dbname, self._sidecar_table)
        if key not in _known_tables and tools.table_exists(self.env.cr, self._sidecar_table):
            _known_tables.add(key)
        return key in _known_tables


class LoyaltySidecarCardEntry(models.AbstractModel):
    """What the sidecar's per-card tables (the ledger, the history) have in common."""
    _name = 'loyalty.sidecar.card.entry'
    _inherit = 'loyalty.sidecar.table'
    _description = "Row of a loyalty card in a table of the loyalty sidecar"

    card_id = fields.Many2one('loyalty.card', string='Card', required=True, readonly=True)
    partner_id = fields.Many2one(related='card_id.partner_id', string='Customer')
    program_id = fields.Many2one(related='card_id.program_id', string='Program')
    company_id = fields.Many2one('res.company', string='Company', readonly=True)
