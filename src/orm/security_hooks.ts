import { clearCredentialCache } from '../auth/credentials';
import { afterWrite } from './computes';
import { dropSharedFacts } from './shared_cache';

/** Writes through the ORM to users, groups, companies, access rights or rules drop the shared security facts. */
for (const model of ['res.users', 'res.groups', 'res.company', 'ir.model.access', 'ir.rule']) {
  afterWrite(model, '*', async (env) => dropSharedFacts(env.app));
}
/** A user written through the ORM (password, active) is checked against the database at the next call, as Odoo clears its check cache. */
afterWrite('res.users', '*', async () => clearCredentialCache());
