/**
 * Reads what the loyalty engine needs from Odoo's tables and hands it plain data.
 *
 * Program definitions (programs, rules, rewards, their evaluated product filters, taxes) are
 * cached per database and rebuilt when any of the tables behind them changes: max(write_date)
 * and count per table tell. Everything else a request needs (that stamp, cards, usage counts,
 * company, partner, tier-gated programs) is one prepared statement (db/prepared.ts): one
 * round trip, no planning after the first call on a connection.
 */
import { Knex } from 'knex';
import { Card, Catalog, Product, ProductFilter, Program, Reward, Rule, Tax } from '../../engine/types';
import { Env } from '../../orm/env';
import { evalPyLiteral } from '../../orm/pyliteral';
import { productIdsMatching } from './product_domain';
import { GATED_PROGRAMS_SQL, GatedProgram, gatesOf } from '../membership-gate';
import { IsoDate } from '../../engine/membership';
import { preparedQuery } from '../../db/prepared';

interface Definitions {
  stamp: string;
  programs: Map<number, Program>;
  rewardsById: Map<number, Reward>;
  taxes: Map<number, Tax>;
  products: Map<number, Product>;
  currencyRounding: number;
  currencyName: string;
  /** whether any program is usage-limited (then each request sets its order count). */
  anyLimited: boolean;
}

const cache = new Map<string, Definitions>();
const building = new Map<string, Promise<Definitions>>();

/** Which programs a loader hands to the engine (e.g. tier gating adds its own test here). */
export type ProgramGate = (program: Program) => boolean;

// The cache is per database (several sidecars or test databases may share one process).
// Every write (Odoo's or the sidecar's) moves write_date; the count also catches a deleted
// program, rule, reward or tax. The product tables, the only large ones, give only their
// max(write_date), one entry of an index (migration 0070): a deleted product may stay in the
// cached catalogue, so each request reads which of its own products exist (requestSql).
const STAMP_SQL = `select current_database() || '@' || coalesce(inet_server_addr()::text, '') || ':' || coalesce(inet_server_port(), 0) as db, concat_ws('|',
  (select max(write_date)::text || count(*) from loyalty_program),
  (select max(write_date)::text || count(*) from loyalty_rule),
  (select max(write_date)::text || count(*) from loyalty_reward),
  (select max(write_date)::text from product_template),
  (select max(write_date)::text from product_product),
  (select max(write_date)::text || count(*) from account_tax)) as stamp`;

async function definitions(env: Env, key: string, stamp: string): Promise<Definitions> {
  const cached = cache.get(key);
  if (cached && cached.stamp === stamp) return cached;
  const inflight = building.get(key + stamp);
  if (inflight) return inflight;
  const p = buildDefinitions(env, stamp).finally(() => building.delete(key + stamp));
  building.set(key + stamp, p);
  const defs = await p;
  cache.set(key, defs);
  return defs;
}

/** Drops the cached definitions (tests that write programs behind the cache's back). */
export function clearLoyaltyCache(): void {
  cache.clear();
}

const en = (v: unknown): string => (v && typeof v === 'object' ? ((v as Record<string, string>).en_US ?? Object.values(v)[0] ?? '') : String(v ?? ''));

function parseDomain(source: string | null): unknown[] {
  if (!source || source.trim() === '[]') return [];
  const v = evalPyLiteral(source);
  return Array.isArray(v) ? v : [];
}

async function buildDefinitions(env: Env, stamp: string): Promise<Definitions> {
  const db = env.cr;
  // One after the other: inside a transaction they share one connection.
  const q = (sql: string) => db.raw(sql);
  const programs = await q(`select * from loyalty_program`);
  const rules = await q(`select * from loyalty_rule where active order by id`);
  const rewards = await q(`select * from loyalty_reward where active order by required_points, id`);
  const ruleProducts = await q(`select loyalty_rule_id as owner, product_product_id as product from loyalty_rule_product_product_rel`);
  const rewardProducts = await q(`select loyalty_reward_id as owner, product_product_id as product from loyalty_reward_product_product_rel`);
  const taxes = await q(`select id, name, amount_type, amount, price_include, include_base_amount, sequence, company_id from account_tax`);
  const currency = await q(`select c.rounding, c.name from res_company co join res_currency c on c.id = co.currency_id order by co.id limit 1`);
  const pricelists = await q(`select loyalty_program_id as program, product_pricelist_id as pricelist from loyalty_program_product_pricelist_rel`);
  const idsOf = (rows: { owner: number; product: number }[]) => {
    const m = new Map<number, number[]>();
    for (const r of rows) m.set(r.owner, [...(m.get(r.owner) ?? []), r.product]);
    return m;
  };
  const ruleIds = idsOf(ruleProducts.rows);
  const rewardIds = idsOf(rewardProducts.rows);
  const programType = new Map<number, string>(programs.rows.map((p: { id: number; program_type: string }) => [p.id, p.program_type]));

  // product_ids OR category (with children) OR tag, AND the domain; none of the three: the domain alone.
  const evalFilter = async (productIds: number[], categId: number | null, tagId: number | null, domainSrc: string | null): Promise<ProductFilter | 'empty'> => {
    const domain = parseDomain(domainSrc);
    const anyOf = productIds.length > 0 || categId !== null || tagId !== null;
    if (!anyOf && !domain.length) return 'empty';
    let ids: Set<number> | null = null;
    if (anyOf) {
      const r = await db.raw(
        `select p.id from product_product p join product_template t on t.id = p.product_tmpl_id
          where p.id = any(?::int[])
             or (?::int is not null and t.categ_id in (select id from product_category
                   where parent_path like (select parent_path from product_category where id = ?::int) || '%'))
             or (?::int is not null and (exists (select 1 from product_tag_product_template_rel r where r.product_template_id = t.id and r.product_tag_id = ?::int)
                   or exists (select 1 from product_tag_product_product_rel r where r.product_product_id = p.id and r.product_tag_id = ?::int)))`,
        [productIds, categId, categId, tagId, tagId, tagId],
      );
      ids = new Set(r.rows.map((x: { id: number }) => x.id));
    }
    if (domain.length) {
      const d = await productIdsMatching(env, domain);
      ids = ids ? new Set([...ids].filter((x) => d.has(x))) : d;
    }
    return { all: false, ids: ids! };
  };

  const ruleList: Rule[] = [];
  for (const r of rules.rows) {
    const f = await evalFilter(ruleIds.get(r.id) ?? [], r.product_category_id, r.product_tag_id, r.product_domain);
    ruleList.push({
      id: r.id,
      programId: r.program_id,
      mode: r.mode === 'with_code' ? 'with_code' : 'auto',
      code: r.code,
      rewardPointMode: r.reward_point_mode,
      rewardPointAmount: r.reward_point_amount ?? 0,
      rewardPointSplit: !!r.reward_point_split,
      minimumQty: r.minimum_qty ?? 0,
      minimumAmount: r.minimum_amount ?? 0,
      minimumAmountTaxMode: r.minimum_amount_tax_mode,
      // Gift card rules without any product filter match nothing (loyalty's _get_valid_products).
      products: f === 'empty' ? (programType.get(r.program_id) === 'gift_card' ? null : { all: true, ids: new Set() }) : f,
      hasProductIds: (ruleIds.get(r.id) ?? []).length > 0,
    });
  }

  // reward_product_ids: the reward product, then the tag's active variants.
  const tagProducts = new Map<number, number[]>();
  const tagRows = await db.raw(
    `select r.product_tag_id as tag, p.id from product_tag_product_template_rel r
       join product_template t on t.id = r.product_template_id join product_product p on p.product_tmpl_id = t.id
      where p.active order by r.product_tag_id, t.priority desc nulls last, t.name->>'en_US', p.id`,
  );
  for (const row of tagRows.rows) tagProducts.set(row.tag, [...(tagProducts.get(row.tag) ?? []), row.id]);
  const variantTags = await db.raw(`select product_tag_id as tag, product_product_id as id from product_tag_product_product_rel order by product_product_id`);
  for (const row of variantTags.rows) {
    const list = tagProducts.get(row.tag) ?? [];
    if (!list.includes(row.id)) list.push(row.id);
    tagProducts.set(row.tag, list);
  }

  const rewardList: Reward[] = [];
  for (const r of rewards.rows) {
    const f = await evalFilter(rewardIds.get(r.id) ?? [], r.discount_product_category_id, r.discount_product_tag_id, r.discount_product_domain);
    const rewardProductIds: number[] = [];
    if (r.reward_type === 'product') {
      if (r.reward_product_id) rewardProductIds.push(r.reward_product_id);
      for (const id of r.reward_product_tag_id ? tagProducts.get(r.reward_product_tag_id) ?? [] : []) if (!rewardProductIds.includes(id)) rewardProductIds.push(id);
    }
    rewardList.push({
      id: r.id,
      programId: r.program_id,
      description: en(r.description),
      rewardType: r.reward_type,
      discount: r.discount ?? 0,
      discountMode: r.discount_mode,
      discountApplicability: r.discount_applicability ?? 'order',
      discountMaxAmount: r.discount_max_amount ?? 0,
      requiredPoints: r.required_points ?? 0,
      clearWallet: !!r.clear_wallet,
      discountLineProductId: r.discount_line_product_id,
      discountProducts: f === 'empty' ? { all: true, ids: new Set() } : f,
      rewardProductIds,
      rewardProductQty: r.reward_product_qty ?? 1,
      hasActiveProduct: true, // set below, once products are known
    });
  }

  const pricelistsOf = idsOf(pricelists.rows.map((r: { program: number; pricelist: number }) => ({ owner: r.program, product: r.pricelist })));
  const programMap = new Map<number, Program>();
  for (const p of programs.rows) {
    programMap.set(p.id, {
      id: p.id,
      name: en(p.name),
      sequence: p.sequence ?? 0,
      programType: p.program_type,
      appliesOn: p.applies_on,
      trigger: p.trigger ?? 'auto',
      companyId: p.company_id,
      active: !!p.active,
      saleOk: !!p.sale_ok,
      posOk: !!p.pos_ok,
      dateFrom: p.date_from,
      dateTo: p.date_to,
      limitUsage: !!p.limit_usage,
      maxUsage: p.max_usage ?? 0,
      pricelistIds: pricelistsOf.get(p.id) ?? [],
      rules: ruleList.filter((r) => r.programId === p.id),
      rewards: rewardList.filter((r) => r.programId === p.id),
      orderCount: 0,
    });
  }
  const taxMap = new Map<number, Tax>();
  for (const t of taxes.rows) {
    taxMap.set(t.id, {
      id: t.id, name: en(t.name), amountType: t.amount_type, amount: t.amount, priceInclude: !!t.price_include,
      includeBaseAmount: !!t.include_base_amount, sequence: t.sequence ?? 1, companyId: t.company_id,
    });
  }
  const defs: Definitions = {
    stamp,
    programs: programMap,
    rewardsById: new Map(rewardList.map((r) => [r.id, r])),
    taxes: taxMap,
    products: new Map(),
    currencyRounding: currency.rows[0]?.rounding ?? 0.01,
    currencyName: currency.rows[0]?.name ?? 'USD',
    anyLimited: [...programMap.values()].some((p) => p.limitUsage),
  };
  // Products every reward may put on an order.
  const rewardProductIdList = rewardList.flatMap((r) => [r.discountLineProductId, ...r.rewardProductIds]).filter(Boolean);
  await loadProducts(db, defs, rewardProductIdList);
  for (const r of rewardList) {
    if (r.rewardType === 'product') r.hasActiveProduct = r.rewardProductIds.some((id) => defs.products.get(id)?.active);
  }
  return defs;
}

async function loadProducts(db: Knex, defs: Definitions, ids: number[]): Promise<void> {
  const missing = [...new Set(ids)].filter((id) => !defs.products.has(id));
  if (!missing.length) return;
  const rows = await db.raw(
    `select p.id, t.name, t.list_price, p.active,
            coalesce((select array_agg(r.tax_id order by r.tax_id) from product_taxes_rel r where r.prod_id = t.id), '{}') as tax_ids
       from product_product p join product_template t on t.id = p.product_tmpl_id where p.id = any(?::int[])`,
    [missing],
  );
  for (const r of rows.rows) {
    defs.products.set(r.id, { id: r.id, name: en(r.name), listPrice: r.list_price ?? 0, active: !!r.active, taxIds: r.tax_ids });
  }
}

export interface LoadRequest {
  partnerId: number | null;
  codes: string[];
  productIds: number[];
  /** cards named in claims must be loaded even when they are someone else's. */
  cardIds: number[];
  /** the order's company, or the user whose company it is. */
  companyId?: number;
  uid?: number;
  /** the day tier-gated programs are judged on (the order's date). */
  today: IsoDate;
}

export interface LoadedOrderWorld {
  catalog: Catalog;
  companyId: number;
  parentCompanyId: number | null;
  /** false when partner_id names no partner. */
  partnerExists: boolean;
  /** which of the requested products exist now (the cached catalogue may still hold a deleted one). */
  existingProducts: Set<number>;
}

// Orders carrying a usage-limited program's rewards (Odoo's total_order_count): sales order
// lines where the table exists (attached to Odoo), POS order lines always.
const usageCountSql = (withSales: boolean) => `select coalesce(json_object_agg(program_id, n), '{}') from (
     select program_id, sum(n)::int as n from (
       ${withSales ? `select r.program_id, count(distinct l.order_id) as n from sale_order_line l join loyalty_reward r on r.id = l.reward_id
        where l.reward_id is not null and r.program_id in (select id from loyalty_program where limit_usage) group by r.program_id
       union all` : ''}
       select r.program_id, count(distinct l.order_id) as n from pos_order_line l join loyalty_reward r on r.id = l.reward_id
        where l.reward_id is not null and r.program_id in (select id from loyalty_program where limit_usage) group by r.program_id) u
     group by program_id) c`;

// Everything the requests need besides the cached definitions, in one round trip however many
// orders ask: the cache stamp, the cards of any of them, the usage counts of limited programs,
// each request's company, the partners that exist.
const requestSql = (withSales: boolean) => `select x.db, x.stamp,
  (select coalesce(json_agg(json_build_object('id', c.id, 'program_id', c.program_id, 'partner_id', c.partner_id,
            'points', c.points, 'expiration_date', c.expiration_date, 'code', c.code) order by c.id), '[]')
     from loyalty_card c where c.partner_id = any(?::int[]) or c.code = any(?::text[]) or c.id = any(?::int[])) as cards,
  (${usageCountSql(withSales)}) as counts,
  (select json_agg(json_build_object('id', co.id, 'parent_id', co.parent_id) order by r.i)
     from unnest(?::int[], ?::int[]) with ordinality r(company_id, uid, i)
     left join res_company co on co.id = coalesce(r.company_id, (select company_id from res_users where id = r.uid), 1)) as companies,
  (select coalesce(array_agg(id), '{}') from res_partner where id = any(?::int[])) as partners,
  (select coalesce(array_agg(id), '{}') from product_product where id = any(?::int[])) as product_ids,
  (${GATED_PROGRAMS_SQL}) as gated
  from (${STAMP_SQL}) x`;
const REQUEST_SQL = { withSales: requestSql(true), posOnly: requestSql(false) };

interface RequestRow {
  db: string;
  stamp: string;
  cards: RawCard[];
  counts: Record<string, number>;
  companies: Array<{ id: number; parent_id: number | null } | null>;
  partners: number[];
  product_ids: number[];
  gated: GatedProgram[];
}

/** Per connection config object (a transaction shares its knex's). */
const salesTables = new WeakMap<object, Promise<boolean>>();

/** Whether sale_order_line exists (attached to Odoo) or not (standalone), once per connection config. */
function hasSaleOrderLines(db: Knex): Promise<boolean> {
  const key = (db as unknown as { client: { config: object } }).client.config;
  let known = salesTables.get(key);
  if (!known) {
    known = db.raw(`select to_regclass('sale_order_line') is not null as ok`).then((r) => !!r.rows[0].ok);
    salesTables.set(key, known);
  }
  return known;
}

/**
 * The engine's catalogue for one order: cached definitions plus the partner's cards, the
 * cards named by codes or claims, the order's products and current usage counts.
 */
export async function loadCatalog(env: Env, req: LoadRequest): Promise<LoadedOrderWorld> {
  return (await loadCatalogs(env, [req]))[0];
}

/** The catalogues of several orders (a batch of paid orders), read in one round trip. */
export async function loadCatalogs(env: Env, reqs: LoadRequest[]): Promise<LoadedOrderWorld[]> {
  const db = env.cr;
  const partners = reqs.map((r) => r.partnerId ?? -1);
  const withSales = await hasSaleOrderLines(db);
  const [row] = await preparedQuery<RequestRow>(db, withSales ? REQUEST_SQL.withSales : REQUEST_SQL.posOnly, [
    partners, reqs.flatMap((r) => r.codes), reqs.flatMap((r) => r.cardIds), reqs.map((r) => r.companyId ?? null), reqs.map((r) => r.uid ?? null), partners,
    reqs.flatMap((r) => r.productIds),
  ]);
  const defs = await definitions(env, row.db, row.stamp);
  await loadProducts(db, defs, reqs.flatMap((r) => r.productIds));
  const existing = new Set(row.partners);
  const existingProducts = new Set(row.product_ids);
  // The common case (nothing gated, nothing usage-limited) hands the cached maps as they are.
  const gates = row.gated.length || defs.anyLimited ? await gatesOf(db, row.gated, reqs.map((r) => ({ partnerId: r.partnerId, today: r.today }))) : null;
  return reqs.map((req, i) => {
    let programs = defs.programs;
    let rewardsById = defs.rewardsById;
    if (gates) {
      programs = new Map();
      for (const p of defs.programs.values()) {
        if (!gates[i](p)) continue;
        programs.set(p.id, p.limitUsage ? { ...p, orderCount: row.counts[p.id] ?? 0 } : p);
      }
      if (programs.size !== defs.programs.size) rewardsById = new Map([...defs.rewardsById].filter(([, r]) => programs.has(r.programId)));
    }
    const cardMap = new Map<number, Card>();
    for (const c of row.cards) {
      if (!programs.has(c.program_id)) continue;
      // The cards this request would have read alone: its partner's, its codes', its claims'.
      if (c.partner_id !== partners[i] && !req.codes.includes(c.code) && !req.cardIds.includes(c.id)) continue;
      cardMap.set(c.id, {
        id: c.id, programId: c.program_id, partnerId: c.partner_id, points: c.points ?? 0, expirationDate: c.expiration_date, code: c.code,
      });
    }
    const catalog: Catalog = {
      programs,
      rewardsById,
      products: defs.products,
      taxes: defs.taxes,
      cards: cardMap,
      currencyRounding: defs.currencyRounding,
      currencyName: defs.currencyName,
    };
    const company = row.companies[i];
    return { catalog, companyId: company?.id ?? 1, parentCompanyId: company?.parent_id ?? null, partnerExists: existing.has(partners[i]), existingProducts };
  });
}

interface RawCard {
  id: number;
  program_id: number;
  partner_id: number | null;
  points: number | null;
  expiration_date: string | null;
  code: string;
}
