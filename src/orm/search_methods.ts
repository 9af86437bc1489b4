/**
 * Search methods of non-stored computed fields (Odoo's `search=` attribute): a leaf on such a
 * field is replaced by the domain the method returns, compiled like any other. Without one,
 * Odoo drops the leaf, and so does the sidecar.
 */
export type SearchMethod = (operator: string, value: unknown, path: Path) => unknown[];

/**
 * The rest of a dotted leaf after the searched field ('code' in picking_type_id.code), which
 * Odoo hands its search method as an 'any' sub-domain: `on(field)` names the same path from
 * another field ('picking_id.picking_type_id' + '.code').
 */
export interface Path {
  rest: string;
  on(field: string): string;
}

export const pathAfter = (rest: string): Path => ({ rest, on: (field) => (rest ? `${field}.${rest}` : field) });

const methods = new Map<string, SearchMethod>();

export function defineSearch(model: string, field: string, fn: SearchMethod): void {
  methods.set(`${model}.${field}`, fn);
}

export function findSearch(model: string, field: string): SearchMethod | undefined {
  return methods.get(`${model}.${field}`);
}

/** Odoo's expression.NEGATIVE_TERM_OPERATORS. */
export const NEGATIVE_OPERATORS = new Set(['!=', 'not like', 'not ilike', 'not in']);
