/**
 * `npm run bench -- startup [runs]`: how long `npm start` with no configuration takes to answer
 * common.version() over XML-RPC, on a new embedded database (schema + demo seeds) and on an
 * existing one. Baseline in the same run: a bare `node -e` HTTP server answering the same
 * request (what starting a Node process costs at all on this machine).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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

async function main(): Promise<void> {
  const runs = Math.max(1, Math.min(10, Number(process.argv[2] ?? 3)));
  const figures: Record<string, number[]> = { 'bare node http server': [], 'first start (new embedded db)': [], 'later start (existing db)': [] };
  for (let i = 0; i < runs; i++) {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'sidecar-bench-'));
    try {
      const port = await freePort();
      figures['bare node http server'].push(await bareNode(port));
      const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', JOBS: 'off' };
      const first = await spawnSidecar(env, port, 120_000);
      await first.stop();
      figures['first start (new embedded db)'].push(first.ms);
      const later = await spawnSidecar(env, port, 120_000);
      await later.stop();
      figures['later start (existing db)'].push(later.ms);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [label, xs] of Object.entries(figures)) {
    process.stdout.write(`${label.padEnd(32)} median ${String(median(xs)).padStart(6)} ms   runs: ${xs.join(', ')}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(String(err) + '\n');
  process.exit(1);
});
