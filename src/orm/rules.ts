import { Env } from './env';
import { evalPyLiteral } from './pyliteral';
import { userInfo, UserInfo } from './user';
import { modelSecurity, ModelSecurity } from './security';

/**
 * Record rules (ir_rule): the domain a user's records of a model must match for an operation.
 * Global rules (no group) all apply; of the group rules, those of the user's groups are
 * OR-ed together. Rule domains are Python text evaluated with Odoo's names: user,
 * company_ids, company_id. The superuser has none.
 */
export const RULE_MODES = ['read', 'write', 'create', 'unlink'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

export const isRuleMode = (mode: unknown): mode is RuleMode => RULE_MODES.includes(mode as RuleMode);

/**
 * Combined domains per (model's rules, user, mode). Read calls share both facts for a second
 * (shared_cache.ts), so their rules are evaluated once, not on every call; a call in a
 * transaction loads its own facts, hence its own entry, which goes when they go.
 */
const evaluated = new WeakMap<ModelSecurity, WeakMap<UserInfo, Map<RuleMode, unknown[] | null>>>();

/** The combined rule domain, or null when no rule restricts the operation (callers must not change it). */
export async function ruleDomain(env: Env, model: string, mode: RuleMode): Promise<unknown[] | null> {
  const user = await userInfo(env);
  if (user.superuser) return null;
  const security = await modelSecurity(env, model);
  let perUser = evaluated.get(security);
  if (!perUser) evaluated.set(security, (perUser = new WeakMap()));
  let perMode = perUser.get(user);
  if (!perMode) perUser.set(user, (perMode = new Map()));
  let domain = perMode.get(mode);
  if (domain === undefined) perMode.set(mode, (domain = evaluate(security, user, mode)));
  return domain;
}

function evaluate(security: ModelSecurity, user: UserInfo, mode: RuleMode): unknown[] | null {
  const rows = security.rules.filter((r) => r[mode]);
  if (!rows.length) return null;
  const names = ruleNames(user);
  const globals: unknown[][] = [];
  const grouped: unknown[][] = [];
  for (const r of rows) {
    const groups = r.groups ?? [];
    const domain = r.domain ? (evalPyLiteral(r.domain, names) as unknown[]) : [];
    if (!groups.length) globals.push(domain);
    else if (groups.some((g) => user.groups.has(g))) grouped.push(domain);
  }
  const parts = [...globals];
  if (grouped.length) parts.push(orAll(grouped));
  const nonEmpty = parts.filter((d) => d.length);
  if (!nonEmpty.length) return null;
  return combine('&', nonEmpty);
}

/** A domain as one prefix term (implicit ANDs made explicit), so it can be combined. */
function wrap(domain: unknown[]): unknown[] {
  // count top-level terms of the prefix expression
  const terms: unknown[][] = [];
  let i = 0;
  const one = (): unknown[] => {
    const t = domain[i++];
    if (t === '&' || t === '|') return [t, ...one(), ...one()];
    if (t === '!') return [t, ...one()];
    return [t];
  };
  while (i < domain.length) terms.push(one());
  const out: unknown[] = [];
  for (let k = 1; k < terms.length; k++) out.push('&');
  for (const t of terms) out.push(...t);
  return out;
}

function orAll(domains: unknown[][]): unknown[] {
  // an empty group rule domain means "everything": the OR of it is everything too
  if (domains.some((d) => d.length === 0)) return [];
  return combine('|', domains);
}

/** Domains joined by a prefix operator, each made a single term first. */
export function combine(op: '&' | '|', domains: unknown[][]): unknown[] {
  const out: unknown[] = [];
  for (let k = 1; k < domains.length; k++) out.push(op);
  for (const d of domains) out.push(...wrap(d));
  return out;
}

/** The names a rule domain may use, as Odoo's ir.rule._eval_context gives them. */
function ruleNames(user: UserInfo): Record<string, unknown> {
  const rec = (id: number | false) => ({ id, ids: id ? [id] : [] });
  return {
    user: {
      id: user.uid,
      partner_id: rec(user.partnerId),
      commercial_partner_id: rec(user.commercialPartnerId),
      company_id: rec(user.companyId),
      company_ids: { ids: user.companyIds },
      groups_id: { ids: [...user.groups] },
    },
    company_ids: user.companyIds,
    company_id: user.companyId,
  };
}
