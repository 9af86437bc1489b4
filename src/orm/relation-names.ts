import { ValidationError } from '../errors';

/**
 * Many2many relation tables as Odoo 17 names them when a field does not name its own
 * (fields.Many2many._setup_regular_base): the two tables sorted, "<a>_<b>_rel", with the
 * columns "<table>_id" and "<cotable>_id". Odoo checks the name with check_pg_name: there is
 * no truncation, a name over PostgreSQL's 63 bytes is refused, so two long names can never
 * silently become one. (Table aliases, which Odoo does cut and hash, are sql.ts's
 * makeIdentifier.) Odoo stores the result in ir_model_fields.relation_table, which the registry
 * reads first: this is for rows that lack it.
 */
export interface RelationNames {
  table: string;
  column1: string;
  column2: string;
}

const PG_NAME = /^[a-z_][a-z0-9_$]*$/i;

/** models.check_pg_name. */
export function checkPgName(name: string): string {
  if (!PG_NAME.test(name)) throw new ValidationError(`Invalid characters in table name '${name}'`);
  if (Buffer.byteLength(name) > 63) throw new ValidationError(`Table name '${name}' is too long`);
  return name;
}

export function relationNames(table: string, cotable: string): RelationNames {
  if (table === cotable) {
    throw new ValidationError('Implicit/canonical naming of many2many relationship table is not possible when source and destination models are the same');
  }
  const [a, b] = [table, cotable].sort();
  return { table: checkPgName(`${a}_${b}_rel`), column1: `${table}_id`, column2: `${cotable}_id` };
}
