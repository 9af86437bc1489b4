/**
 * `npm run bench -- startup [runs]`: how long `npm start` with no configuration takes to answer
 * common.version() over XML-RPC, on a new embedded database (schema + demo seeds) and on an
 * existing one, and, on the new one, until its first real call (a loyalty.card search_read as
 * admin) is answered too: the first thing a newcomer tries after the version. Baseline in the
 * same run: a bare `node -e` HTTP server answering the same request (what starting a Node
 * process costs at all on this machine). The goal (issue 12): a first embedded start answering
 * in under 10 s on an idle machine; the load average is printed beside the figures.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, spawnSidecar } from '../test/helpers/process';

async function bareNode(port: number): Promise<number> {
  const started = Date.now();
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q, s) => s.end('<methodResponse/>')).listen(${port}, '127.0.0.1')`], { stdio: 'ignore' });
  try {
    for (;;) {
      try {
        await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x' });
        return Date.now() - started;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * CPU time a process has used so far (user + system, Linux /proc): on a busy machine the wall
 * time measures the other processes too; on an idle one a start takes about its CPU time (PGlite
 * and the start-up work run on one thread).
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in ticks of 10 ms
}

/** admin's first search_read of loyalty cards, as Python's xmlrpc.client sends it. */
const SEARCH_READ = '<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>' +
  ['sidecar', 2, 'admin', 'loyalty.card', 'search_read'].map((v) => `<param><value>${typeof v === 'number' ? `<int>${v}</int>` : `<string>${v}</string>`}</value></param>`).join('') +
  '<param><value><array><data><value><array><data></data></array></value></data></array></value></param>' +
  '<param><value><struct><member><name>fields</name><value><array><data><value><string>points</string></value></data></array></value></member>' +
  '<member><name>limit</name><value><int>5</int></value></member></struct></value></param></params></methodCall>';

async function main(): Promise<void> {
  const runs = Math.max(1, Math.min(10, Number(process.argv[2] ?? 3)));
  const figures: Record<string, number[]> = {
    'bare node http server': [],
    'first start (new embedded db)': [],
    'first start, first search_read': [],
    'later start (existing db)': [],
    'first start, CPU of the process': [],
  };
  const load = [loadavg()[0]];
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sidecar-bench-'));
    try {
      const port = await freePort();
      figures['bare node http server'].push(await bareNode(port));
      const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOBS: 'off' };
      const spawned = Date.now();
      const first = await spawnSidecar(env, port, 120_000);
      const cards = await fetch(`http://127.0.0.1:${port}/xmlrpc/2/object`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: SEARCH_READ });
      const answered = Date.now() - spawned;
      const xml = await cards.text();
      figures['first start, CPU of the process'].push(cpuMs(first.child.pid!));
      await first.stop();
      if (!xml.includes('<name>points</name>')) throw new Error(`the first search_read was not answered: ${xml.slice(0, 300)}`);
      figures['first start (new embedded db)'].push(first.ms);
      figures['first start, first search_read'].push(answered);
      const later = await spawnSidecar(env, port, 120_000);
      await later.stop();
      figures['later start (existing db)'].push(later.ms);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  load.push(loadavg()[0]);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [label, xs] of Object.entries(figures)) {
    process.stdout.write(`${label.padEnd(32)} median ${String(median(xs)).padStart(6)} ms   runs: ${xs.join(', ')}\n`);
  }
  const firstCall = median(figures['first start, first search_read']);
  process.stdout.write(`first embedded start answering a real call: ${(firstCall / 1000).toFixed(1)} s (goal: under 10 s on an idle machine); ` +
    `load average ${load.map((l) => l.toFixed(1)).join(' -> ')} on ${cpus().length} cores\n`);
}

main().catch((err) => {
  process.stderr.write(String(err) + '\n');
  process.exit(1);
});
