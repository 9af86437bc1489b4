/**
 * Issue 18, field fidelity: a real Odoo 17 and the sidecar attached to the SAME restored
 * database; every field of every record of the loyalty, POS, membership, partner and product
 * models is read through both (Odoo's JSON-RPC on each side), as admin and as the internal user
 * demo, and any difference fails the test unless it is listed below with its reason. The count
 * per model and field is printed. Further models the sidecar serves are compared too.
 */
import { expect } from 'chai';
import { loadConfig } from '../../src/config';
import { startSidecar, RunningSidecar } from '../../src/server';
import { describeOdoo, freshOdooDatabase, OdooDatabase, OdooServer, startOdoo } from '../helpers/odoo';
import { compareModel, FieldDiff, formatDiffs, Server, User } from './field-diff';

const MODELS = [
  'res.partner', 'product.product', 'product.template',
  'loyalty.program', 'loyalty.rule', 'loyalty.reward', 'loyalty.card',
  'pos.order', 'pos.order.line', 'membership.membership_line', 'res.users',
];

/**
 * Models the sidecar serves beyond those: a field it does not compute yet may be refused there
 * (Odoo-style, never a silent False), and is counted; any other difference fails.
 */
const FURTHER_MODELS = [
  'res.company', 'res.currency', 'uom.uom', 'product.category', 'product.tag', 'account.tax',
  'pos.config', 'pos.session', 'pos.payment', 'pos.payment.method', 'loyalty.mail',
];
const refused = (d: FieldDiff) => typeof d.example.sidecar === 'string' && d.example.sidecar.includes('The sidecar does not compute');

const USERS: User[] = [{ login: 'admin', password: 'admin' }, { login: 'demo', password: 'demo' }];

/**
 * Differences accepted, with the reason. Binary fields are left out of the comparison: their
 * data is in Odoo's filestore, which the recorded dump does not carry (both sides read False,
 * but Odoo logs a missing file for each).
 */
const ACCEPTED: Array<{ model: string; field: RegExp; reason: string }> = [
  {
    model: 'res.users', field: /^(in_group_\d+|sel_groups(_\d+)+)$/,
    reason: "Odoo's reified group fields (res.groups._update_user_groups_view) exist only in Python: no ir_model_fields row; " +
      'the sidecar neither lists nor reads them (a read naming one is refused as an invalid field); group membership is groups_id',
  },
  {
    model: 'res.users', field: /^groups_id$/,
    reason: 'the same groups, ordered by name: several groups share a name ("Administrator"), and Odoo returns those ties in ' +
      "whatever order PostgreSQL's sort leaves them (it differs from user to user); the sidecar orders ties by id",
  },
];
const skip = (_field: string, type: string) => type === 'binary';

describeOdoo('real Odoo 17 and the sidecar on one database: every field reads the same', function () {
  let database: OdooDatabase;
  let sidecar: RunningSidecar;
  let odoo: OdooServer;
  let odooSide: Server;
  let sidecarSide: Server;
  const found: FieldDiff[] = [];

  before(async () => {
    database = await freshOdooDatabase();
    // the sidecar first: its migrations run on Odoo's database before Odoo serves it
    sidecar = await startSidecar({ ...loadConfig({}), databaseUrl: database.url, odooDb: database.name, port: 0, host: '127.0.0.1', logLevel: 'silent', jobsEnabled: false });
    odoo = await startOdoo(database.name);
    odooSide = { url: odoo.url, db: database.name };
    sidecarSide = { url: sidecar.url, db: database.name };
  });
  after(async () => {
    if (found.length) process.stdout.write(`\n      field differences (records per model.field):\n${formatDiffs(found).replace(/^/gm, '      ')}\n`);
    await odoo?.stop();
    await sidecar?.close();
    await database?.drop();
  });

  for (const user of USERS) {
    for (const model of [...MODELS, ...FURTHER_MODELS]) {
      const further = FURTHER_MODELS.includes(model);
      it(`${model} as ${user.login}: no difference but the accepted ones${further ? ' (fields not computed yet refused)' : ''}`, async () => {
        const result = await compareModel(odooSide, sidecarSide, user, model, { skip });
        const open = result.diffs.filter((d) => !ACCEPTED.some((a) => a.model === d.model && a.field.test(d.field)) && !(further && refused(d)));
        found.push(...result.diffs);
        const values = result.diffs.reduce((n, d) => n + d.records, 0);
        const notComputed = result.diffs.filter(refused).length;
        process.stdout.write(`      ${model} as ${user.login}: ${result.records} records x ${result.fields} fields, ${result.diffs.length} fields differ (${values} values)` +
          `${notComputed ? `, ${notComputed} of them refused as not computed` : ''}\n`);
        expect(result.records, 'the dump has records of the model').to.be.greaterThan(0);
        expect(open.map((d) => `${d.field}: ${d.records} records, e.g. #${d.example.id} odoo=${JSON.stringify(d.example.odoo)} sidecar=${JSON.stringify(d.example.sidecar)}`)).to.deep.equal([]);
      });
    }
  }
});
