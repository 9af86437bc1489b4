import { FieldDef, ModelDef } from '../registry';
import { UserError, valueError } from '../../errors';
import { pyRepr } from '../pyrepr';
import { ColumnValue, toColumn } from './convert';
import { findInverse } from './inverses';

/**
 * A create's or write's values, sorted the way Odoo's ORM handles them: columns of the
 * model's own table, x2many commands, and the values of fields inherited through _inherits
 * (product.product ← product.template), which belong to the parent record.
 */
export interface SortedValues {
  columns: Map<string, ColumnValue>;
  x2many: Array<{ field: FieldDef; value: unknown }>;
  /** Non-stored fields with an inverse (inverses.ts), applied once the record is stored. */
  inverses: Array<{ field: FieldDef; value: unknown }>;
  /** Company-dependent fields: their values go to ir_property (properties.ts). */
  properties: Map<FieldDef, ColumnValue>;
  /** parent model → the values of its fields given here. */
  parents: Map<string, Record<string, unknown>>;
  /** Names of every field given (what hooks and constraints see as written). */
  given: Set<string>;
}

/** Fields the ORM itself maintains: values given for them are ignored, as Odoo does. */
const MAGIC = new Set(['id', 'create_uid', 'create_date', 'write_uid', 'write_date', 'parent_path', 'display_name', '__last_update']);

export function sortValues(model: ModelDef, vals: Record<string, unknown>): SortedValues {
  const out: SortedValues = { columns: new Map(), x2many: [], inverses: [], properties: new Map(), parents: new Map(), given: new Set() };
  for (const [name, value] of Object.entries(vals)) {
    const field = model.fields.get(name);
    if (!field) throw valueError(`Invalid field ${pyRepr(name)} on model ${pyRepr(model.name)}`);
    if (MAGIC.has(name)) continue;
    out.given.add(name);
    if (field.inheritedFrom) {
      const parent = out.parents.get(field.inheritedFrom.parentModel) ?? {};
      parent[name] = value;
      out.parents.set(field.inheritedFrom.parentModel, parent);
      continue;
    }
    if (field.companyDependent) {
      out.properties.set(field, toColumn(field, value));
      continue;
    }
    if (!field.store) {
      // Odoo only keeps such a value through an inverse; other computed fields drop it.
      if (findInverse(model.name, name)) {
        out.inverses.push({ field, value });
        continue;
      }
      if (field.related && !field.readonly) {
        throw new UserError(`The sidecar cannot write the related field ${model.name}.${name}: write ${field.related} instead.`);
      }
      out.given.delete(name);
      continue;
    }
    if (field.type === 'one2many' || field.type === 'many2many') out.x2many.push({ field, value });
    // Binary fields live in attachments, not columns: empty is a no-op, data is refused by toColumn.
    else if (field.type === 'binary' && toColumn(field, value) === null) continue;
    else out.columns.set(name, toColumn(field, value));
  }
  return out;
}
