/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.ts, which prints its own figures.
 * Benchmarks are not tests: they measure, print, and exit.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const name = process.argv[2];
const available = readdirSync(__dirname).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, ''));
if (!name || !existsSync(path.join(__dirname, name + '.ts'))) {
  process.stderr.write(`usage: npm run bench -- <name> [args]\navailable: ${available.join(', ') || '(none yet)'}\n`);
  process.exit(2);
}
process.argv.splice(2, 1);
require(path.join(__dirname, name));
