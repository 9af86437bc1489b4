import { FieldDef, ModelDef, Registry } from './registry';
import { findCompute } from './compute';
import { UserError } from '../errors';

/**
 * Which fields the sidecar answers. A field is served when its value comes from the database
 * the way Odoo's comes: a column, ir_property (company-dependent), a stored relation, a related
 * path of served fields, display_name, or a compute registered in src/orm/computed/.
 * A non-stored field Odoo computes in Python that no file here computes is not served: naming
 * it in read/search_read is refused (FieldNotServed), and a read without a field list leaves it
 * out, so a client that reads "everything" still gets every value the sidecar can vouch for,
 * and never a False that Odoo would not answer.
 */
export class FieldNotServed extends UserError {
  constructor(readonly model: string, readonly fields: string[]) {
    super(`The sidecar does not compute ${fields.length > 1 ? 'the fields' : 'the field'} ${fields.map((f) => `'${f}'`).join(', ')} of '${model}': read ${fields.length > 1 ? 'them' : 'it'} through Odoo.`);
  }
}

const memo = new WeakMap<FieldDef, boolean>();

export function isServed(reg: Registry, model: ModelDef, f: FieldDef): boolean {
  let served = memo.get(f);
  if (served === undefined) {
    memo.set(f, true); // a related path that loops back counts as served while it is examined
    served = servedNow(reg, model, f);
    memo.set(f, served);
  }
  return served;
}

function servedNow(reg: Registry, model: ModelDef, f: FieldDef): boolean {
  if (f.name === 'id' || f.name === 'display_name') return true;
  // Binary data (images, avatars, files) is Odoo's filestore's, stored or computed: read as
  // False, the documented exception (README "Reads").
  if (f.type === 'binary') return true;
  if (f.inheritedFrom && f.related) return relatedServed(reg, model, f.related.split('.'));
  if (findCompute(model.name, f.name)) return true;
  if (f.store || f.column || f.companyDependent) return true;
  if (f.related) return relatedServed(reg, model, f.related.split('.'));
  return false;
}

function relatedServed(reg: Registry, model: ModelDef, path: string[]): boolean {
  const f = model.fields.get(path[0]);
  if (!f || !isServed(reg, model, f)) return false;
  if (path.length === 1) return true;
  const comodel = f.relation ? reg.models.get(f.relation) : undefined;
  return !!comodel && relatedServed(reg, comodel, path.slice(1));
}

/** The fields a read answers: the named ones (refused when one is not served), else every served field. */
export function servedNames(reg: Registry, model: ModelDef, named: string[] | null): string[] {
  if (named === null) return [...model.fields.values()].filter((f) => f.name !== 'id' && isServed(reg, model, f)).map((f) => f.name);
  const refused = named.filter((n) => n !== 'id' && !isServed(reg, model, model.fields.get(n)!));
  if (refused.length) throw new FieldNotServed(model.name, refused);
  return named;
}
