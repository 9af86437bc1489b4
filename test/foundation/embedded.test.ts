/**
 * `npm start` with no configuration: the real entry point, spawned as a process with only a
 * temporary DATA_DIR and a free PORT, must answer common.version() over XML-RPC within seconds
 * on the embedded PGlite database, with the demo data loaded on the first start only.
 */
import { expect } from 'chai';
import { spawn, ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const VERSION_CALL = '<?xml version="1.0"?><methodCall><methodName>version</methodName><params></params></methodCall>';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  /** Milliseconds from spawn to the first successful version() answer. */
  ms: number;
  xml: string;
  stderr: () => string;
}

async function startSidecarProcess(dataDir: string, port: number): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'info', JOBS: 'off' };
  for (const key of ['DATABASE_URL', 'ODOO_DB', 'HOST']) delete env[key];
  const started = Date.now();
  // Its own process group, so that stopping it stops tsx's child node process too.
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), ['src/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const deadline = started + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sidecar exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/xmlrpc/2/common`, { method: 'POST', body: VERSION_CALL, headers: { 'content-type': 'text/xml' } });
      if (res.status === 200) return { child, ms: Date.now() - started, xml: await res.text(), stderr: () => stderr };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop(child);
  throw new Error(`no answer within 60 s: ${stderr}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid!, 'SIGTERM');
  });
}

describe('foundation: `npm start` with no configuration (embedded PGlite)', function () {
  this.timeout(150_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'sidecar-embedded-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers version() over XML-RPC within seconds, loads the demo data on the first start only', async () => {
    const port = await freePort();
    const first = await startSidecarProcess(dataDir, port);
    try {
      expect(first.xml).to.contain('<name>server_version</name><value><string>17.0</string></value>');
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health).to.include({ status: 'ok', mode: 'standalone', engine: 'pglite' });
    } finally {
      await stop(first.child);
    }
    expect(first.stderr()).to.contain('demo seeds loaded');

    const second = await startSidecarProcess(dataDir, port);
    await stop(second.child);
    expect(second.stderr()).to.not.contain('demo seeds loaded');
    expect(second.stderr()).to.not.contain('migrations applied');
    process.stdout.write(`      first start (schema + seeds) answered in ${first.ms} ms, second start in ${second.ms} ms\n`);
    // "Within seconds" on a busy 2-core machine: generous bounds, the figures are printed above.
    expect(first.ms).to.be.lessThan(45_000);
    expect(second.ms).to.be.lessThan(30_000);
  });
});
