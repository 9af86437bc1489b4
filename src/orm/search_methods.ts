/**
 * Search methods of non-stored computed fields (Odoo's `search=` attribute): a leaf on such a
 * field is replaced by the domain the method returns, compiled like any other. Without one,
 * Odoo drops the leaf, and so does the sidecar.
 */
export type SearchMethod = (operator: string, value: unknown) => unknown[];

const methods = new Map<string, SearchMethod>();

export function defineSearch(model: string, field: string, fn: SearchMethod): void {
  methods.set(`${model}.${field}`, fn);
}

export function findSearch(model: string, field: string): SearchMethod | undefined {
  return methods.get(`${model}.${field}`);
}

/** Odoo's expression.NEGATIVE_TERM_OPERATORS. */
export const NEGATIVE_OPERATORS = new Set(['!=', 'not like', 'not ilike', 'not in']);
