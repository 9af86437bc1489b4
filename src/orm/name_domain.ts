import { ModelDef } from './registry';
import { modelTraits } from './traits';

/**
 * The domain of Odoo's _name_search: the model's _rec_names_search fields (or its _rec_name)
 * compared with `name` by `operator`; several fields are OR-ed (AND-ed for negative operators).
 * An empty name with like/ilike matches everything.
 */
export function nameSearchDomain(model: ModelDef, operator: string, name: unknown): unknown[] {
  if ((name === '' || name === false || name === null) && (operator === 'like' || operator === 'ilike')) return [];
  const fields = modelTraits(model.name).recNamesSearch ?? (model.recName ? [model.recName] : []);
  if (!fields.length) return [[0, '=', 1]];
  const negative = operator.startsWith('not ') || operator === '!=';
  const leaves = fields.map((f) => [f, operator, name]);
  const glue = negative ? '&' : '|';
  return [...leaves.slice(1).map(() => glue), ...leaves];
}
