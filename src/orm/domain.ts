import { Env } from './env';
import { FieldDef, ModelDef, Registry, getRegistry } from './registry';
import { Sql, sql, ident, raw, joinSql, runSql, TRUE_SQL, FALSE_SQL, tableAlias } from './sql';
import { pyRepr } from './pyrepr';
import { PythonError, UserError, valueError } from '../errors';
import { isPyFloat } from './float';
import { fieldExpr, contextLang } from './columns';
import { nameSearchDomain } from './name_domain';
import { ruleDomain } from './rules';
import { userInfo } from './user';
import { findSearch, pathAfter } from './search_methods';

/**
 * Odoo's domain language compiled to SQL (odoo/osv/expression.py semantics, Odoo 17).
 *
 * A domain is parsed into a tree first (prefix & | !, implicit AND), every leaf is checked
 * against the registry, then each leaf becomes a condition on a column expression. Paths
 * through relations become sub-selects on the comodel (compiled by this same code, with the
 * comodel's record rules), as Odoo does for non-auto_join fields.
 */

export type Domain = unknown[];

type Node =
  | { kind: 'and' | 'or'; children: Node[] }
  | { kind: 'not'; child: Node }
  | { kind: 'leaf'; left: string; op: string; right: unknown; leaf: unknown[] }
  | { kind: 'const'; value: boolean };

const TERM_OPERATORS = new Set([
  '=', '!=', '<=', '<', '>', '>=', '=?', '=like', '=ilike', 'like', 'not like', 'ilike', 'not ilike',
  'in', 'not in', 'child_of', 'parent_of',
]);

const assertionError = (message: string) => new PythonError('AssertionError', message);

/**
 * Parses a domain into a tree, with Odoo's errors for malformed input. Without recursion: a
 * domain of any length or nesting (a flat domain of 100,000 terms, a chain of 100,000 '|')
 * takes one pass over a stack, as Odoo's own normalisation does.
 */
export function parseDomain(domain: unknown): Node {
  if (!Array.isArray(domain)) {
    throw assertionError("Domains to normalize must have a 'domain' form: a list or tuple of domain components");
  }
  const bad = () => valueError(`Domain ${pyRepr(domain)} is syntactically not correct.`);
  // Check the arity first, as Odoo's normalize_domain does, so that a dangling operator is
  // reported as a syntax error before any leaf is looked at.
  let expected = 1;
  for (const token of domain) {
    if (expected === 0) expected = 1;
    if (token === '&' || token === '|') expected += 1;
    else if (token !== '!') expected -= 1;
  }
  if (expected !== 0 && domain.length) throw bad();
  // Leaves are checked left to right (the first bad one is the one reported), then the prefix
  // expression is built right to left on a stack.
  const leaves: Array<Node | null> = domain.map((t) => (t === '&' || t === '|' || t === '!' ? null : parseLeaf(t)));
  const stack: Node[] = [];
  for (let i = domain.length - 1; i >= 0; i--) {
    const token = domain[i];
    if (token === '!') {
      if (!stack.length) throw bad();
      const child = stack.pop()!;
      // NOT NOT x is x: a chain of negations leaves at most one.
      stack.push(child.kind === 'not' ? child.child : { kind: 'not', child });
    } else if (token === '&' || token === '|') {
      if (stack.length < 2) throw bad();
      const a = stack.pop()!;
      const b = stack.pop()!;
      stack.push({ kind: token === '&' ? 'and' : 'or', children: [a, b] });
    } else stack.push(leaves[i]!);
  }
  if (stack.length === 0) return { kind: 'const', value: true };
  // The top-level terms, first one on top: an implicit AND.
  return stack.length === 1 ? stack[0] : { kind: 'and', children: stack.reverse() };
}

function parseLeaf(token: unknown): Node {
  if (!Array.isArray(token)) throw valueError(`Invalid leaf ${pyRepr(token)}`);
  if (token.length < 3) throw valueError(`not enough values to unpack (expected 3, got ${token.length})`);
  if (token.length > 3) throw valueError('too many values to unpack (expected 3)');
  const [left, rawOp, right] = token;
  if ((left === 1 || left === 0) && rawOp === '=' && right === 1) return { kind: 'const', value: left === 1 };
  const op = typeof rawOp === 'string' ? (rawOp.toLowerCase() === '<>' ? '!=' : rawOp.toLowerCase()) : rawOp;
  if (typeof left !== 'string' || !left || typeof op !== 'string' || !TERM_OPERATORS.has(op)) {
    throw valueError(`Invalid leaf ${pyRepr(token, true)}`);
  }
  return { kind: 'leaf', left, op, right: unwrap(right), leaf: token };
}

function unwrap(v: unknown): unknown {
  if (isPyFloat(v)) return v.valueOf();
  if (Array.isArray(v)) return v.map(unwrap);
  return v;
}

const isFalsy = (v: unknown) => v === false || v === null || v === undefined;

export interface SearchOptions {
  order?: string | null;
  limit?: number | null;
  offset?: number | null;
  /** Overrides context.active_test. */
  activeTest?: boolean;
  /** Apply the user's record rules (default true). */
  rules?: boolean;
}

/** What a search compiles to: FROM + WHERE (+ ORDER BY) on the model's table. */
export interface CompiledSearch {
  from: Sql;
  where: Sql;
  orderBy: Sql | null;
  alias: string;
}

/** The scope of one compilation: the call's env and the registry. */
export class Scope {
  /** Sub-selects and name look-ups compiled so far: SQL that depends on more than its domain. */
  lookups = 0;

  constructor(readonly env: Env, readonly reg: Registry, readonly lang: string, readonly companyId: number, readonly sudo = false) {}

  /** The same call as the superuser (Odoo's sudo(): same context and company, no rights or rules on reads). */
  asSudo(): Scope {
    return this.sudo ? this : new Scope(this.env, this.reg, this.lang, this.companyId, true);
  }

  static async of(env: Env): Promise<Scope> {
    // In order: the registry may load on the call's own transaction (one connection).
    const reg = await getRegistry(env.app);
    const user = await userInfo(env);
    return new Scope(env, reg, contextLang(env), user.companyId);
  }
}

/** Compiles `domain` on `model` (active_test and record rules included) into FROM/WHERE. */
export async function compileSearch(scope: Scope, model: ModelDef, domain: unknown, opts: SearchOptions = {}): Promise<CompiledSearch> {
  const alias = model.table;
  const joins: Sql[] = [];
  let tree = parseDomain(domain);
  const activeTest = opts.activeTest ?? scope.env.context.active_test !== false;
  if (model.activeField && activeTest && !mentionsActive(domain, model.activeField)) {
    tree = and([{ kind: 'leaf', left: model.activeField, op: '=', right: true, leaf: [model.activeField, '=', true] }, tree]);
  }
  const parts: Sql[] = [await compileNode(scope, model, alias, tree)];
  if (opts.rules !== false) {
    const rules = await ruleDomain(scope.env, model.name, 'read');
    if (rules) parts.push(await compileRules(scope, model, alias, rules));
  }
  const where = parts.length === 1 ? parts[0] : joinSql(parts.map(paren), ' AND ');
  const orderBy = opts.order !== undefined ? orderToSql(scope, model, alias, opts.order ?? model.order, joins) : null;
  const from = joinSql([sql`${ident(model.table)} AS ${ident(alias)}`, ...joins], ' ');
  return { from, where, orderBy, alias };
}

interface CompiledRules {
  reg: Registry;
  where: Sql;
}

/**
 * Compiled record-rule conditions per evaluated rule domain. rules.ts keeps one domain object
 * per (security facts, user, mode), shared by the read calls of a second, so those calls
 * share its SQL too: every search of a model with a multi-company rule compiles it otherwise.
 * The SQL depends on the registry, the alias, the language, the company and active_test (the
 * key), and on nothing else unless compiling it looked into other tables (a sub-select with a
 * comodel's own rules, a name look-up): such rules are compiled again each time.
 */
const compiledRules = new WeakMap<unknown[], Map<string, CompiledRules>>();

/** The WHERE condition of a combined rule domain (ruleDomain's answer) on `alias`. */
export async function compileRules(scope: Scope, model: ModelDef, alias: string, rules: unknown[]): Promise<Sql> {
  const key = `${model.name}|${alias}|${scope.lang}|${scope.companyId}|${scope.env.context.active_test !== false}`;
  let perDomain = compiledRules.get(rules);
  const hit = perDomain?.get(key);
  if (hit && hit.reg === scope.reg) return hit.where;
  const lookups = scope.lookups;
  const where = await compileNode(scope, model, alias, parseDomain(rules));
  if (scope.lookups === lookups) {
    if (!perDomain) compiledRules.set(rules, (perDomain = new Map()));
    perDomain.set(key, { reg: scope.reg, where });
  }
  return where;
}

/** SELECT id … for a search, with order, limit and offset. */
export async function searchSql(scope: Scope, model: ModelDef, domain: unknown, opts: SearchOptions = {}): Promise<Sql> {
  const q = await compileSearch(scope, model, domain, { ...opts, order: opts.order === undefined ? null : opts.order });
  let out = sql`SELECT ${ident(q.alias)}."id" FROM ${q.from} WHERE ${q.where}`;
  if (q.orderBy && q.orderBy.text) out = sql`${out} ORDER BY ${q.orderBy}`;
  // Odoo's Query writes LIMIT only for a truthy limit: limit=0 means no limit
  if (opts.limit) out = sql`${out} LIMIT ${opts.limit}`;
  if (opts.offset) out = sql`${out} OFFSET ${opts.offset}`;
  return out;
}

/** A sub-select of ids (or of another column) used inside other conditions. */
async function subSearch(scope: Scope, model: ModelDef, domain: unknown, opts: SearchOptions = {}, column = 'id'): Promise<Sql> {
  scope.lookups++;
  const q = await compileSearch(scope, model, domain, opts);
  return sql`SELECT ${ident(q.alias)}.${ident(column)} FROM ${q.from} WHERE ${q.where}`;
}

function mentionsActive(domain: unknown, active: string): boolean {
  return Array.isArray(domain) && domain.some((t) => Array.isArray(t) && t[0] === active);
}

const and = (children: Node[]): Node => ({ kind: 'and', children });
const paren = (s: Sql) => sql`(${s})`;

/** The operands of an AND/OR node with nested nodes of the same kind spliced in, in order (one level of SQL for a chain). */
function operands(node: Extract<Node, { kind: 'and' | 'or' }>): Node[] {
  const out: Node[] = [];
  const stack = [...node.children].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === node.kind) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    else out.push(n);
  }
  return out;
}

/** The operators that merge: equalities under OR into one 'in', inequalities under AND into one 'not in'. */
const MERGING = { or: { ops: new Set(['=', 'in']), into: 'in' }, and: { ops: new Set(['!=', 'not in']), into: 'not in' } } as const;
const NUMERIC_TYPES = new Set(['integer', 'many2one', 'float', 'monetary']);
const TEXT_TYPES = new Set(['char', 'selection']);

/**
 * Operands of one AND (OR) where several compare one stored column with plain values by
 * inequality (equality) are merged into one 'not in' ('in') leaf at the first one's place:
 * the same rows, and one array condition instead of thousands of clauses, which PostgreSQL's
 * planner takes quadratic time over (a flat domain of 100,000 terms plans in milliseconds).
 * Only values whose meaning does not change between the forms merge: numbers on numeric
 * columns, non-empty strings on char and selection columns (not False, not names of records).
 */
function mergeLeaves(model: ModelDef, kind: 'and' | 'or', kids: Node[]): Node[] {
  const { ops, into } = MERGING[kind];
  const values = new Map<string, unknown[]>();
  const mergeable = (n: Node): n is Leaf => {
    if (n.kind !== 'leaf' || !ops.has(n.op) || n.left.includes('.')) return false;
    const f = model.fields.get(n.left);
    if (!f || !f.store || f.companyDependent || !f.column) return false;
    const list = Array.isArray(n.right) ? n.right : [n.right];
    if (!list.length) return false;
    if (NUMERIC_TYPES.has(f.type)) return list.every((v) => typeof v === 'number' && Number.isFinite(v));
    return TEXT_TYPES.has(f.type) && list.every((v) => typeof v === 'string' && v !== '');
  };
  for (const n of kids) {
    if (!mergeable(n)) continue;
    let list = values.get(n.left);
    if (!list) values.set(n.left, (list = []));
    if (Array.isArray(n.right)) for (const v of n.right) list.push(v);
    else list.push(n.right);
  }
  if (![...values.values()].some((v) => v.length > 1)) return kids;
  const out: Node[] = [];
  const placed = new Set<string>();
  for (const n of kids) {
    if (!mergeable(n)) out.push(n);
    else if (!placed.has(n.left)) {
      placed.add(n.left);
      const right = values.get(n.left)!;
      out.push({ kind: 'leaf', left: n.left, op: into, right, leaf: [n.left, into, right] });
    }
  }
  return out;
}

/**
 * A domain tree to SQL, without recursion (an explicit stack of frames, post-order): a domain
 * of any depth compiles. Chains of one operator become one flat AND/OR list.
 */
async function compileNode(scope: Scope, model: ModelDef, alias: string, root: Node): Promise<Sql> {
  type Frame = { node: Extract<Node, { kind: 'and' | 'or' | 'not' }>; kids: Node[]; parts: Sql[]; next: number };
  const simple = (node: Node): Promise<Sql> | Sql | null =>
    node.kind === 'const' ? (node.value ? TRUE_SQL : FALSE_SQL) : node.kind === 'leaf' ? compileLeaf(scope, model, alias, node) : null;
  const frame = (node: Frame['node']): Frame => ({ node, kids: node.kind === 'not' ? [node.child] : mergeLeaves(model, node.kind, operands(node)), parts: [], next: 0 });
  const first = simple(root);
  if (first) return first;
  const stack: Frame[] = [frame(root as Frame['node'])];
  for (;;) {
    const f = stack[stack.length - 1];
    if (f.next < f.kids.length) {
      const kid = f.kids[f.next++];
      const done = simple(kid);
      if (done) f.parts.push(await done);
      else stack.push(frame(kid as Frame['node']));
      continue;
    }
    stack.pop();
    const out = f.node.kind === 'not'
      ? sql`(NOT (${f.parts[0]}))`
      : joinSql(f.parts.map(paren), f.node.kind === 'and' ? ' AND ' : ' OR ');
    if (!stack.length) return out;
    stack[stack.length - 1].parts.push(out);
  }
}

type Leaf = Extract<Node, { kind: 'leaf' }>;

async function compileLeaf(scope: Scope, model: ModelDef, alias: string, leaf: Leaf): Promise<Sql> {
  const { op } = leaf;
  let { right } = leaf;
  const path = leaf.left.split('.');
  const field = model.fields.get(path[0]);
  if (!field) throw valueError(`Invalid field ${model.name}.${path[0]} in leaf ${pyRepr(leaf.leaf, true)}`);

  if (op === '=?') {
    if (isFalsy(right) || (Array.isArray(right) && right.length === 0)) return TRUE_SQL;
    return compileLeaf(scope, model, alias, { ...leaf, op: '=' });
  }
  if ((op === 'in' || op === 'not in') && !Array.isArray(right)) {
    if (typeof right === 'string' || typeof right === 'object') throw valueError(`Invalid domain term ${pyRepr(leaf.leaf, true)}`);
    right = [right];
  }

  // A field without a column: related and inherited fields search through their path,
  // company-dependent ones through ir_property (columns.ts), others only with a search method.
  if (!field.store && !field.companyDependent) {
    if (field.related) {
      const rest = path.slice(1).join('.');
      return compileLeaf(scope, model, alias, { ...leaf, left: field.related + (rest ? '.' + rest : ''), right });
    }
    const method = findSearch(model.name, field.name);
    if (method) return compileNode(scope, model, alias, parseDomain(method(op, right, pathAfter(path.slice(1).join('.')))));
    return TRUE_SQL; // Odoo drops the leaf on a non-stored field without a search method
  }

  const id = sql`${ident(alias)}."id"`;
  if (path.length > 1) {
    if (!field.relation || !['many2one', 'one2many', 'many2many'].includes(field.type)) {
      throw valueError(`Invalid field ${model.name}.${path[0]} in leaf ${pyRepr(leaf.leaf, true)}`);
    }
    const comodel = scope.reg.model(field.relation ?? '');
    const sub = { ...leaf, left: path.slice(1).join('.'), right };
    if (field.type === 'many2one') {
      const ids = await subSearch(scope, comodel, [[sub.left, sub.op, sub.right]], { activeTest: false });
      return sql`${fieldExpr(scope, model, alias, field)} IN (${ids})`;
    }
    if (field.type === 'one2many') {
      // records whose lines match: id IN (SELECT inverse FROM comodel WHERE …), as Odoo writes it
      const owners = await subSearch(scope, comodel, [[sub.left, sub.op, sub.right]], {}, field.relationField ?? '');
      return sql`${id} IN (${owners})`;
    }
    if (field.type === 'many2many') {
      const ids = await subSearch(scope, comodel, [[sub.left, sub.op, sub.right]]);
      return x2manyIn(scope, model, alias, field, ids, false);
    }
    throw valueError(`Invalid field ${model.name}.${leaf.left} in leaf ${pyRepr(leaf.leaf, true)}`);
  }

  if (op === 'child_of' || op === 'parent_of') return hierarchy(scope, model, alias, field, op, right);

  if (field.type === 'binary' && !field.column) {
    // an attachment-backed binary: only "is set" / "is not set" mean something, through
    // ir_attachment; Odoo ignores any other leaf on it
    if ((op === '=' || op === '!=') && isFalsy(right)) {
      const exists = sql`EXISTS (SELECT 1 FROM "ir_attachment" a WHERE a."res_model" = ${model.name} AND a."res_field" = ${field.name} AND a."res_id" = ${id})`;
      return op === '=' ? sql`NOT ${exists}` : exists;
    }
    return TRUE_SQL;
  }

  switch (field.type) {
    case 'many2one':
      return many2one(scope, model, alias, field, op, right);
    case 'one2many':
    case 'many2many':
      return x2many(scope, model, alias, field, op, right);
    default:
      return compare(scope, fieldExpr(scope, model, alias, field), field, op, right, id);
  }
}

/** A condition on a scalar column expression. */
function compare(scope: Scope, col: Sql, field: FieldDef, op: string, right: unknown, _id: Sql): Sql {
  const bool = field.type === 'boolean';
  if (op === 'in' || op === 'not in') {
    const values = (right as unknown[]).filter((v) => !isFalsy(v) || (bool && v === false));
    const hasFalse = (right as unknown[]).some((v) => isFalsy(v));
    if (bool) {
      const set = new Set((right as unknown[]).map((v) => !!v));
      const cond = set.size === 2 ? TRUE_SQL : set.has(true) ? sql`${col} = true` : set.has(false) ? sql`(${col} IS NULL OR ${col} = false)` : FALSE_SQL;
      return op === 'in' ? cond : sql`(NOT (${cond}))`;
    }
    const typed = values.map((v) => scalar(field, v));
    const list = intCast(field, typed, true);
    if (op === 'in') {
      const base = typed.length ? sql`${col} = ANY(${typed}${list})` : FALSE_SQL;
      return hasFalse ? sql`(${base} OR ${col} IS NULL)` : base;
    }
    const base = typed.length ? sql`${col} != ALL(${typed}${list})` : TRUE_SQL;
    return hasFalse ? sql`(${base} AND ${col} IS NOT NULL)` : sql`(${base} OR ${col} IS NULL)`;
  }
  if (op === '=' || op === '!=') {
    if (bool) {
      const want = op === '=' ? !isFalsy(right) : isFalsy(right);
      return want ? sql`${col} = true` : sql`(${col} IS NULL OR ${col} = false)`;
    }
    if (isFalsy(right)) {
      const text = ['char', 'text', 'html', 'selection'].includes(field.type);
      if (op === '=') return text ? sql`(${col} IS NULL OR ${col} = '')` : sql`${col} IS NULL`;
      return text ? sql`(${col} IS NOT NULL AND ${col} != '')` : sql`${col} IS NOT NULL`;
    }
    if (Array.isArray(right)) return compare(scope, col, field, op === '=' ? 'in' : 'not in', right, _id);
    const v = scalar(field, right);
    const cast = intCast(field, [v]);
    return op === '=' ? sql`${col} = ${v}${cast}` : sql`(${col} != ${v}${cast} OR ${col} IS NULL)`;
  }
  if (op === '<' || op === '>' || op === '<=' || op === '>=') {
    if (isFalsy(right)) return FALSE_SQL;
    let v = scalar(field, right);
    if (field.type === 'datetime' && typeof v === 'string' && v.length === 10) {
      v = v + (op === '>' || op === '<=' ? ' 23:59:59' : ' 00:00:00');
    }
    return sql`${col} ${raw(op)} ${v}${intCast(field, [v])}`;
  }
  // like family
  const negative = op.startsWith('not ');
  const base = negative ? op.slice(4) : op;
  const sqlOp = base === 'like' || base === '=like' ? 'LIKE' : 'ILIKE';
  const pattern = base.startsWith('=') ? String(right ?? '') : `%${likeText(right)}%`;
  const textCol = ['char', 'text', 'html', 'selection'].includes(field.type) ? col : sql`CAST(${col} AS VARCHAR)`;
  if (isFalsy(right) && !base.startsWith('=')) {
    // ('name', 'ilike', False): Odoo compares with '%%' (everything non-null) or its negation
    return negative ? sql`${col} IS NULL` : sql`${col} IS NOT NULL`;
  }
  if (negative) return sql`(${textCol} NOT ${raw(sqlOp)} ${pattern} OR ${col} IS NULL)`;
  return sql`${textCol} ${raw(sqlOp)} ${pattern}`;
}

const INT4 = (v: unknown) => typeof v !== 'number' || (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647);
const NO_CAST = raw('');

/**
 * The cast an integer column's values need when one is beyond int4 (an id that cannot exist):
 * Odoo's psycopg2 writes them as literals PostgreSQL compares with any integer column; a bound
 * parameter would take the column's type and fail. int8 keeps the index usable.
 */
function intCast(field: FieldDef, values: unknown[], array = false): Sql {
  if ((field.type !== 'integer' && field.type !== 'many2one') || values.every(INT4)) return NO_CAST;
  const type = values.every((v) => typeof v !== 'number' || Number.isSafeInteger(v)) ? 'int8' : 'numeric';
  return raw(`::${type}${array ? '[]' : ''}`);
}

function likeText(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v);
}

/** Converts an RPC value to what the column holds. */
function scalar(field: FieldDef, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined || v === false) return null;
  switch (field.type) {
    case 'integer':
    case 'many2one':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return parseInt(v, 10);
      if (typeof v === 'boolean') return v ? 1 : 0;
      throw valueError(`invalid literal for int() with base 10: ${pyRepr(v)}`);
    case 'float':
    case 'monetary':
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
      throw valueError(`could not convert string to float: ${pyRepr(v)}`);
    case 'boolean':
      return !!v;
    default:
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return typeof v === 'string' ? v : String(v);
      throw valueError(`Invalid value ${pyRepr(v)} for field ${field.model}.${field.name}`);
  }
}

const isIdList = (v: unknown[]) => v.every((x) => typeof x === 'number' && Number.isInteger(x));

async function many2one(scope: Scope, model: ModelDef, alias: string, field: FieldDef, op: string, right: unknown): Promise<Sql> {
  const col = fieldExpr(scope, model, alias, field);
  const comodel = scope.reg.model(field.relation ?? '');
  const values = Array.isArray(right) ? right : [right];
  const byName = values.some((v) => typeof v === 'string') && ['=', '!=', 'in', 'not in'].includes(op);
  if (byName || ['like', 'ilike', 'not like', 'not ilike', '=like', '=ilike'].includes(op)) {
    if (isFalsy(right) && op.includes('like')) return compare(scope, col, field, op === 'not like' || op === 'not ilike' ? '=' : '!=', false, col);
    // Comparing with names: Odoo runs the comodel's name search, positive operators only,
    // and negates the resulting set ("not ilike 'a'" = not among the partners matching 'a').
    const negative = op === '!=' || op === 'not in' || op.startsWith('not ');
    const positive = op === '!=' ? '=' : op === 'not in' ? 'in' : negative ? op.slice(4) : op;
    const names = values.filter((v) => !isFalsy(v));
    const domain = names.length === 1 || !['=', 'in'].includes(positive)
      ? nameSearchDomain(comodel, positive === 'in' ? '=' : positive, names[0])
      : orDomains(names.map((n) => nameSearchDomain(comodel, '=', n)));
    const ids = await subSearch(scope, comodel, domain);
    if (negative) return sql`(${col} NOT IN (${ids}) OR ${col} IS NULL)`;
    return sql`${col} IN (${ids})`;
  }
  if (Array.isArray(right) && !isIdList(right.filter((v) => !isFalsy(v)))) {
    throw valueError(`Invalid domain term ${pyRepr([field.name, op, right], true)}`);
  }
  return compare(scope, col, field, op, right, col);
}

function orDomains(domains: unknown[][]): unknown[] {
  if (domains.length === 0) return [[0, '=', 1]];
  const out: unknown[] = [];
  for (let i = 1; i < domains.length; i++) out.push('|');
  for (const d of domains) out.push(...d);
  return out;
}

/** `x2many in ids` from a sub-select of comodel ids. */
function x2manyIn(_scope: Scope, model: ModelDef, alias: string, field: FieldDef, ids: Sql, negate: boolean): Sql {
  const id = sql`${ident(alias)}."id"`;
  if (field.type === 'one2many') {
    const inverse = ident(field.relationField ?? '');
    const co = ident(field.relation!.replace(/\./g, '_'));
    const inner = sql`SELECT ${co}.${inverse} FROM ${co} WHERE ${co}."id" IN (${ids}) AND ${co}.${inverse} IS NOT NULL`;
    return negate ? sql`${id} NOT IN (${inner})` : sql`${id} IN (${inner})`;
  }
  const rel = ident(field.relationTable ?? '');
  const c1 = ident(field.column1 ?? '');
  const c2 = ident(field.column2 ?? '');
  const exists = sql`EXISTS (SELECT 1 FROM ${rel} WHERE ${rel}.${c1} = ${id} AND ${rel}.${c2} IN (${ids}))`;
  void model;
  return negate ? sql`NOT ${exists}` : exists;
}

async function x2many(scope: Scope, model: ModelDef, alias: string, field: FieldDef, op: string, right: unknown): Promise<Sql> {
  const comodel = scope.reg.model(field.relation ?? '');
  const emptyTest = (op === '=' || op === '!=') && isFalsy(right);
  if (emptyTest) {
    // '= False': no related record at all; '!= False': at least one.
    const all = await subSearch(scope, comodel, []);
    return x2manyIn(scope, model, alias, field, all, op === '=');
  }
  const values = Array.isArray(right) ? right : [right];
  const negative = op === '!=' || op === 'not in' || op.startsWith('not ');
  let ids: Sql;
  if (values.some((v) => typeof v === 'string') || op.includes('like')) {
    const positive = op === '!=' ? '=' : op === 'not in' ? 'in' : negative ? op.slice(4) : op;
    const names = values.filter((v) => !isFalsy(v));
    ids = await subSearch(scope, comodel, names.length === 1 ? nameSearchDomain(comodel, positive === 'in' ? '=' : positive, names[0]) : orDomains(names.map((n) => nameSearchDomain(comodel, '=', n))));
  } else {
    const list = values.filter((v) => !isFalsy(v));
    if (!isIdList(list)) throw valueError(`Invalid domain term ${pyRepr([field.name, op, right], true)}`);
    if (!list.length) return negative ? TRUE_SQL : FALSE_SQL;
    ids = sql`SELECT unnest(${list}::int[])`;
    if (['<', '>', '<=', '>='].includes(op)) {
      ids = await subSearch(scope, comodel, [['id', op, list[0]]]);
      return x2manyIn(scope, model, alias, field, ids, false);
    }
  }
  return x2manyIn(scope, model, alias, field, ids, negative);
}

/** child_of / parent_of, through parent_path when the model keeps it, else level by level. */
async function hierarchy(scope: Scope, model: ModelDef, alias: string, field: FieldDef, op: string, right: unknown): Promise<Sql> {
  const target = field.name === 'id' ? model : scope.reg.model(field.relation ?? '');
  if (field.name !== 'id' && field.type !== 'many2one' && field.type !== 'many2many' && field.type !== 'one2many') {
    throw valueError(`Invalid field ${model.name}.${field.name} in leaf ${pyRepr([field.name, op, right], true)}`);
  }
  let ids: number[];
  const values = (Array.isArray(right) ? right : [right]).filter((v) => !isFalsy(v));
  if (values.some((v) => typeof v === 'string')) {
    scope.lookups++;
    const found = await runSql<{ id: number }>(scope.env.cr, await subSearch(scope, target, orDomains(values.map((v) => nameSearchDomain(target, 'ilike', v)))));
    ids = found.map((r) => r.id);
  } else ids = values as number[];
  if (!ids.length) return FALSE_SQL;
  const parentName = target.parentName ?? 'parent_id';
  const parentCol = ident(parentName);
  const t = ident(target.table);
  let set: Sql;
  const activeTest = target.activeField && scope.env.context.active_test !== false ? sql` AND ${t}.${ident(target.activeField)} = true` : raw('');
  if (op === 'child_of') {
    if (target.parentStore) {
      set = sql`SELECT c."id" FROM ${t} c JOIN ${t} p ON c."parent_path" LIKE p."parent_path" || '%' WHERE p."id" = ANY(${ids})`;
    } else {
      set = sql`WITH RECURSIVE tree(id) AS (SELECT ${t}."id" FROM ${t} WHERE ${t}."id" = ANY(${ids})
                  UNION SELECT ${t}."id" FROM ${t} JOIN tree ON ${t}.${parentCol} = tree.id WHERE TRUE${activeTest})
                SELECT id FROM tree`;
    }
  } else if (target.parentStore) {
    // The ancestors are the ids parent_path lists, as Odoo reads them (multi-company rules
    // use parent_of on every search: this plans and starts far cheaper than a recursion).
    set = sql`SELECT unnest(string_to_array(rtrim(p."parent_path", '/'), '/'))::int FROM ${t} p WHERE p."id" = ANY(${ids})`;
  } else {
    set = sql`WITH RECURSIVE tree(id, parent) AS (SELECT ${t}."id", ${t}.${parentCol} FROM ${t} WHERE ${t}."id" = ANY(${ids})
                UNION SELECT ${t}."id", ${t}.${parentCol} FROM ${t} JOIN tree ON ${t}."id" = tree.parent)
              SELECT id FROM tree`;
  }
  if (field.name === 'id') return sql`${ident(alias)}."id" IN (${set})`;
  if (field.type === 'many2one') return sql`${fieldExpr(scope, model, alias, field)} IN (${set})`;
  return x2manyIn(scope, model, alias, field, set, false);
}


// ---------------------------------------------------------------- ORDER BY

const ORDER_TERM = /^\s*"?([a-z0-9_]+)"?(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;

/** Odoo's _order_to_sql: validated terms, many2one ordered by the comodel's own _order. */
export function orderToSql(scope: Scope, model: ModelDef, alias: string, order: string, joins: Sql[], reverse = false): Sql {
  const terms: Sql[] = [];
  for (const term of order.split(',')) {
    const m = ORDER_TERM.exec(term);
    if (!m) {
      throw new UserError(
        `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
      );
    }
  }
  for (const term of order.split(',')) {
    const m = ORDER_TERM.exec(term)!;
    const name = m[1];
    let desc = (m[2] ?? 'asc').toLowerCase() === 'desc';
    if (reverse) desc = !desc;
    const nulls = m[3] ? raw(` NULLS ${m[3].toUpperCase()}`) : raw('');
    const field = model.fields.get(name);
    if (!field) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
    if (field.inheritedFrom) {
      const parent = scope.reg.model(field.inheritedFrom.parentModel);
      const link = model.fields.get(field.inheritedFrom.parentField)!;
      const palias = joinFor(joins, alias, link.name, parent.table, fieldExpr(scope, model, alias, link));
      terms.push(orderToSql(scope, parent, palias, `${name}${desc ? ' desc' : ''}${m[3] ? ' nulls ' + m[3] : ''}`, joins));
      continue;
    }
    if (!field.column && !field.companyDependent) continue;
    if (field.type === 'many2one') {
      const comodel = scope.reg.model(field.relation ?? '');
      const coalias = joinFor(joins, alias, field.name, comodel.table, fieldExpr(scope, model, alias, field));
      const sub = orderToSql(scope, comodel, coalias, comodel.order, joins, desc);
      if (sub.text) terms.push(sub);
      continue;
    }
    if (field.type === 'one2many' || field.type === 'many2many') continue;
    let expr = fieldExpr(scope, model, alias, field);
    if (field.type === 'boolean') expr = sql`COALESCE(${expr}, false)`;
    terms.push(sql`${expr} ${raw(desc ? 'DESC' : 'ASC')}${nulls}`);
  }
  return joinSql(terms, ', ');
}

/** A LEFT JOIN of a many2one's comodel, named as Odoo names it (alias__field), added once. */
function joinFor(joins: Sql[], alias: string, fieldName: string, table: string, on: Sql): string {
  const coalias = tableAlias(alias, fieldName);
  const text = `LEFT JOIN "${table}" AS "${coalias}"`;
  if (!joins.some((j) => j.text.startsWith(text))) {
    joins.push(sql`${raw(text)} ON (${on} = ${ident(coalias)}."id")`);
  }
  return coalias;
}
