/**
 * Membership tiers give the same partners the same states in every mode: a full run on the
 * recorded Odoo 17 database (attached) and on a standalone database seeded with the same rows
 * write the same membership columns, invoices included (the standalone stubs keep the invoice
 * columns the queries read), and a line pointed at a paid invoice becomes paid in both. A
 * standalone database created before its stubs had them still runs the job and the write: its
 * lines read as lines without an invoice.
 */
import { expect } from 'chai';
import { Knex } from 'knex';
import { loadConfig } from '../../src/config';
import { openDatabase, Database } from '../../src/db/connection';
import { runJob } from '../../src/jobs/scheduler';
import { executeKw } from '../../src/orm/call';
import { AppContext } from '../../src/context';
import { boot } from '../../src/server';
import { freshDatabase, serverReachable, TestDatabase } from '../helpers/pg';
import { standaloneTestDatabase, StandaloneTestDatabase } from '../helpers/standalone';
import { configureTiers } from './fixtures';

const NOW = new Date('2026-11-22T12:00:00Z');

const contexts = new Map<Database, AppContext>();
async function context(db: Database): Promise<AppContext> {
  if (!contexts.has(db)) contexts.set(db, await boot({ ...loadConfig({}), logLevel: 'silent' }, db));
  return contexts.get(db)!;
}

async function fullRun(db: Database): Promise<Array<Record<string, unknown>>> {
  const ctx = await context(db);
  await configureTiers(db.knex);
  expect(await runJob(ctx, 'membership', NOW)).to.deep.include({ ran: true });
  return states(db.knex);
}

/**
 * Line 1 (waiting on a draft invoice) pointed at journal item 94, whose invoice is paid: Odoo's
 * _compute_state gives the line the invoice's state. Answers the line's state after the write.
 */
async function pointAtPaidInvoice(db: Database): Promise<string> {
  const ctx = await context(db);
  expect(await executeKw(ctx, 2, 'membership.membership_line', 'write', [[1], { account_invoice_line: 94 }], {})).to.equal(true);
  return (await db.knex('membership_membership_line').where({ id: 1 }).first('state')).state;
}

const states = (knex: Knex) =>
  knex('res_partner').orderBy('id').select('id', 'membership_state', knex.raw('membership_start::text'), knex.raw('membership_stop::text'), knex.raw('membership_cancel::text'));

describe('membership: the same states in every mode', function () {
  this.timeout(120_000);
  let attached: TestDatabase | undefined;
  let standalone: StandaloneTestDatabase | undefined;
  let older: StandaloneTestDatabase | undefined;
  before(async function () {
    if (!(await serverReachable())) this.skip();
  });
  after(async () => {
    for (const d of [attached, standalone, older]) await d?.drop();
  });

  it('writes the same membership columns on the recorded database and on the seeded standalone one', async () => {
    attached = await freshDatabase('odoo17');
    const odoo = await openDatabase({ databaseUrl: attached.url, dataDir: '' }, 4);
    try {
      standalone = await standaloneTestDatabase();
      const [theirs, mine] = [await fullRun(odoo), await fullRun(standalone.db)];
      expect(theirs.some((p) => p.membership_state === 'paid')).to.equal(true);
      expect(mine).to.deep.equal(theirs);
      expect(await pointAtPaidInvoice(odoo)).to.equal('paid');
      expect(await pointAtPaidInvoice(standalone.db)).to.equal('paid');
    } finally {
      await odoo.close();
    }
  });

  it('runs on a standalone database whose stubs lack the invoice columns, reading lines as uninvoiced', async () => {
    older = await standaloneTestDatabase();
    await older.db.knex.raw('alter table account_move_line drop column move_id');
    await fullRun(older.db);
    expect(await pointAtPaidInvoice(older.db)).to.equal('waiting');
    const invoiced = await older.db.knex('membership_membership_line').whereNotNull('account_invoice_line').count({ n: '*' });
    expect(Number(invoiced[0].n)).to.be.greaterThan(0);
  });
});
