import { Env } from '../env';
import { FieldDef, getRegistry } from '../registry';
import { valueError } from '../../errors';
import { pyRepr } from '../pyrepr';
import { unwrap } from './convert';
import { createRecords, writeRecords, unlinkRecords } from './records';

/**
 * x2many commands, as Odoo 17's fields.One2many / Many2many apply them in create and write:
 * (0,0,vals) create, (1,id,vals) update, (2,id) delete, (3,id) unlink, (4,id) link,
 * (5,) clear, (6,0,ids) replace. A plain list of ids means (6,0,ids) and False means (5,).
 */
export type Command =
  | { op: 0; vals: Record<string, unknown> }
  | { op: 1; id: number; vals: Record<string, unknown> }
  | { op: 2 | 3 | 4; id: number }
  | { op: 5 }
  | { op: 6; ids: number[] };

const asId = (field: FieldDef, v: unknown): number => {
  const n = unwrap(v);
  if (typeof n === 'number' && Number.isInteger(n)) return n;
  throw valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(v)}`);
};

const asVals = (field: FieldDef, v: unknown): Record<string, unknown> => {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(v)}`);
};

export function parseCommands(field: FieldDef, value: unknown): Command[] {
  const v = unwrap(value);
  if (v === false || v === null || v === undefined) return [{ op: 5 }];
  if (!Array.isArray(v)) throw valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(value)}`);
  if (v.every((x) => typeof unwrap(x) === 'number')) return [{ op: 6, ids: v.map((x) => asId(field, x)) }];
  return v.map((cmd): Command => {
    if (!Array.isArray(cmd) || !cmd.length) throw valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(value)}`);
    const op = unwrap(cmd[0]);
    switch (op) {
      case 0: return { op: 0, vals: asVals(field, cmd[2]) };
      case 1: return { op: 1, id: asId(field, cmd[1]), vals: asVals(field, cmd[2]) };
      case 2: case 3: case 4: return { op, id: asId(field, cmd[1]) };
      case 5: return { op: 5 };
      case 6: {
        const ids = unwrap(cmd[2]);
        if (!Array.isArray(ids)) throw valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(value)}`);
        return { op: 6, ids: ids.map((x) => asId(field, x)) };
      }
      default:
        throw valueError(`Wrong value for ${field.model}.${field.name}: ${pyRepr(value)}`);
    }
  });
}

const deleteRules = new WeakMap<object, Map<string, string>>();

/** How the database treats a row whose many2one target goes ('c' cascade, 'n' set null, …). */
async function onDelete(env: Env, table: string, column: string): Promise<string> {
  let cache = deleteRules.get(env.app);
  if (!cache) deleteRules.set(env.app, (cache = new Map()));
  const key = `${table}.${column}`;
  if (!cache.has(key)) {
    const row = (
      await env.cr.raw(
        `select c.confdeltype from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
          where c.contype = 'f' and c.conrelid = ?::regclass and a.attname = ? limit 1`,
        [table, column],
      )
    ).rows[0];
    cache.set(key, row?.confdeltype ?? 'n');
  }
  return cache.get(key)!;
}

async function applyOne2many(env: Env, field: FieldDef, parentIds: number[], commands: Command[]): Promise<void> {
  const registry = await getRegistry(env.app);
  const comodel = registry.model(field.relation!);
  const inverse = field.relationField!;
  // Removing a line from a one2many deletes it when its many2one cascades (a rule of its
  // program), and only empties the many2one otherwise — as Odoo's One2many does.
  const detach = async (ids: number[]) => {
    if (!ids.length) return;
    if ((await onDelete(env, comodel.table, inverse)) === 'c') await unlinkRecords(env, comodel.name, ids);
    else await writeRecords(env, comodel.name, ids, { [inverse]: false });
  };
  const children = async (parentId: number) => {
    const q = env.cr(comodel.table).where(inverse, parentId);
    if (comodel.activeField && env.context.active_test !== false) q.where(comodel.activeField, true);
    return (await q.select('id')).map((r: { id: number }) => r.id);
  };
  for (const parentId of parentIds) {
    for (const cmd of commands) {
      switch (cmd.op) {
        case 0: await createRecords(env, comodel.name, [{ ...cmd.vals, [inverse]: parentId }]); break;
        case 1: await writeRecords(env, comodel.name, [cmd.id], cmd.vals); break;
        case 2: await unlinkRecords(env, comodel.name, [cmd.id]); break;
        case 3: await detach([cmd.id]); break;
        case 4: await writeRecords(env, comodel.name, [cmd.id], { [inverse]: parentId }); break;
        case 5: await detach(await children(parentId)); break;
        case 6: {
          const keep = new Set(cmd.ids);
          await detach((await children(parentId)).filter((id) => !keep.has(id)));
          if (cmd.ids.length) await writeRecords(env, comodel.name, cmd.ids, { [inverse]: parentId });
          break;
        }
      }
    }
  }
}

async function applyMany2many(env: Env, field: FieldDef, parentIds: number[], commands: Command[]): Promise<void> {
  const registry = await getRegistry(env.app);
  const comodel = registry.model(field.relation!);
  const rel = field.relationTable!;
  const [c1, c2] = [field.column1!, field.column2!];
  const link = (parentId: number, ids: number[]) =>
    ids.length
      ? env.cr.raw(
          `insert into ?? (??, ??) select ?, x from unnest(?::int[]) x on conflict do nothing`,
          [rel, c1, c2, parentId, ids],
        )
      : undefined;
  for (const parentId of parentIds) {
    for (const cmd of commands) {
      switch (cmd.op) {
        case 0: {
          const [id] = await createRecords(env, comodel.name, [cmd.vals]);
          await link(parentId, [id]);
          break;
        }
        case 1: await writeRecords(env, comodel.name, [cmd.id], cmd.vals); break;
        case 2: await unlinkRecords(env, comodel.name, [cmd.id]); break;
        case 3: await env.cr(rel).where({ [c1]: parentId, [c2]: cmd.id }).delete(); break;
        case 4: await link(parentId, [cmd.id]); break;
        case 5: await env.cr(rel).where(c1, parentId).delete(); break;
        case 6:
          await env.cr(rel).where(c1, parentId).delete();
          await link(parentId, [...new Set(cmd.ids)]);
          break;
      }
    }
  }
}

/** Applies a one2many or many2many value (commands, ids or False) to the given records. */
export async function applyX2many(env: Env, field: FieldDef, parentIds: number[], value: unknown): Promise<void> {
  const commands = parseCommands(field, value);
  if (field.type === 'one2many') await applyOne2many(env, field, parentIds, commands);
  else await applyMany2many(env, field, parentIds, commands);
}
