import { Env } from '../env';
import { getRegistry, Translations } from '../registry';
import { AppContext } from '../../context';
import { ValidationError } from '../../errors';

/**
 * PostgreSQL integrity errors turned into the ValidationError texts Odoo 17 gives for them
 * (odoo/service/model.py): a NOT NULL column names the model and field, a foreign key names
 * the model and constraint, a unique or check constraint gives the message the model
 * declared in _sql_constraints (Odoo keeps them, translated, in ir_model_constraint).
 */

interface PgError {
  code?: string;
  table?: string;
  column?: string;
  constraint?: string;
  message: string;
  detail?: string;
}

const isPgError = (e: unknown): e is PgError => !!e && typeof e === 'object' && typeof (e as PgError).code === 'string' && 'severity' in (e as object);

const messages = new WeakMap<AppContext, Promise<Map<string, Translations>>>();

/** The _sql_constraints messages, read once (on a connection of their own: the call's transaction is aborted by then). */
function constraintMessages(app: AppContext): Promise<Map<string, Translations>> {
  let m = messages.get(app);
  if (!m) {
    m = (async () => {
      const out = new Map<string, Translations>();
      if (!(await app.db.knex.schema.hasTable('ir_model_constraint'))) return out;
      const rows: Array<{ name: string; message: Translations | null }> = (
        await app.db.knex.raw(`select name, message from ir_model_constraint where type = 'u' and message is not null`)
      ).rows;
      for (const r of rows) if (r.message?.en_US) out.set(r.name, r.message);
      return out;
    })();
    m.catch(() => messages.delete(app));
    messages.set(app, m);
  }
  return m;
}

const en = (t: Translations | undefined | null, fallback: string) => t?.en_US ?? fallback;

async function asValidationError(env: Env, e: PgError): Promise<Error> {
  const registry = await getRegistry(env.app);
  const model = [...registry.models.values()].find((m) => m.table === e.table);
  const modelName = model ? en(model.description, model.name) : 'Unknown';
  const modelTech = model ? model.name : 'unknown';
  if (e.code === '23502') {
    const field = model && e.column ? model.fields.get(e.column) : undefined;
    return new ValidationError(
      'The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n' +
        '- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n' +
        `Model: ${modelName} (${modelTech})\nField: ${field ? en(field.label, field.name) : 'Unknown'} (${field ? field.name : 'unknown'})\n`,
    );
  }
  if (e.code === '23503') {
    return new ValidationError(
      'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n' +
        `Model: ${modelName} (${modelTech})\nConstraint: ${e.constraint}\n`,
    );
  }
  const declared = e.constraint ? (await constraintMessages(env.app)).get(e.constraint) : undefined;
  if (declared) {
    const lang = typeof env.context.lang === 'string' ? env.context.lang : 'en_US';
    return new ValidationError(`The operation cannot be completed: ${declared[lang] ?? declared.en_US}`);
  }
  return new ValidationError(`The operation cannot be completed: ${e.message}${e.detail ? `\nDETAIL:  ${e.detail}\n` : ''}`);
}

/** Runs a statement; an integrity error comes back as Odoo's ValidationError. */
export async function sqlGuard<T>(env: Env, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isPgError(e) && e.code!.startsWith('23')) throw await asValidationError(env, e);
    throw e;
  }
}
