import { Env } from './env';
import { FieldDef, ModelDef } from './registry';
import { Sql, sql, ident, raw } from './sql';

/**
 * The SQL expression that yields a field's value on a row of `alias`: its column, the
 * context language's text of a translated (jsonb) column with Odoo's fallback to en_US, or
 * the ir_property value of a company-dependent field for the current company.
 */
export interface ColumnScope {
  lang: string;
  companyId: number;
}

export function contextLang(env: Env): string {
  const lang = env.context.lang;
  return typeof lang === 'string' && /^[A-Za-z]{2,3}(_[A-Za-z0-9@]+)?$/.test(lang) ? lang : 'en_US';
}

/**
 * Column expressions per field, alias and language: every statement names the same few, and
 * a registry reload makes new FieldDefs (the old entries go with the old ones). Sql is
 * immutable, so callers may share them.
 */
const columnExprs = new WeakMap<FieldDef, Map<string, Sql>>();

export function fieldExpr(scope: ColumnScope, model: ModelDef, alias: string, field: FieldDef): Sql {
  if (field.companyDependent) return propertyExpr(scope, model, alias, field);
  let perField = columnExprs.get(field);
  if (!perField) columnExprs.set(field, (perField = new Map()));
  const key = field.translate ? `${alias}|${scope.lang}` : alias;
  let expr = perField.get(key);
  if (!expr) {
    expr = columnExpr(scope, alias, field);
    if (perField.size < 64) perField.set(key, expr);
  }
  return expr;
}

function columnExpr(scope: ColumnScope, alias: string, field: FieldDef): Sql {
  const col = sql`${ident(alias)}.${ident(field.name)}`;
  if (field.translate) {
    if (scope.lang === 'en_US') return sql`(${col}->>'en_US')`;
    return sql`COALESCE(${col}->>${scope.lang}, ${col}->>'en_US')`;
  }
  return col;
}

/** ir_property: the record's own value for the company, else the company's default. */
function propertyExpr(scope: ColumnScope, model: ModelDef, alias: string, field: FieldDef): Sql {
  const pick = (value: Sql) =>
    sql`(SELECT ${value} FROM "ir_property" p WHERE p."fields_id" = ${field.id}
           AND (p."res_id" = ${model.name + ','}::text || ${ident(alias)}."id" OR p."res_id" IS NULL)
           AND (p."company_id" = ${scope.companyId} OR p."company_id" IS NULL)
         ORDER BY p."res_id" IS NULL, p."company_id" IS NULL LIMIT 1)`;
  switch (field.type) {
    case 'many2one':
      return pick(raw(`NULLIF(split_part(p."value_reference", ',', 2), '')::int`));
    case 'integer':
      return pick(raw('p."value_integer"'));
    case 'boolean':
      return pick(raw('p."value_integer" <> 0'));
    case 'float':
    case 'monetary':
      return pick(raw('p."value_float"'));
    case 'date':
      return pick(raw('p."value_datetime"::date::text'));
    case 'datetime':
      return pick(raw(`to_char(p."value_datetime", 'YYYY-MM-DD HH24:MI:SS')`));
    default:
      return pick(raw('p."value_text"'));
  }
}
