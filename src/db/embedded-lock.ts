/**
 * PGlite is PostgreSQL inside one process: it keeps the database in that process's memory and
 * writes it to DATA_DIR, and nothing stops a second process from opening the same folder and
 * overwriting the first one's work. So one process at a time holds the embedded database: a
 * lock file beside the folder (`<DATA_DIR>.lock`, holding the owner's pid). A second process
 * (`npm run job` while `npm start` runs, a second `npm start`) is refused with a clear error; a
 * lock whose owner is gone (a crash) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The embedded database is held by another live process. */
export class EmbeddedDatabaseInUse extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(
      `the embedded database in ${dataDir} is in use by another sidecar process (pid ${pid}). ` +
        'PGlite is one process: stop that process first (a running sidecar runs every scheduled job itself unless JOBS=off), ' +
        'or point DATABASE_URL at a PostgreSQL server, where servers, replicas and `npm run job` share the database.',
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the embedded database in `dataDir` for this process; returns the release. */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  const file = path.resolve(dataDir) + '.lock';
  const mine = String(process.pid);
  try {
    writeFileSync(file, mine, { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const owner = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) throw new EmbeddedDatabaseInUse(dataDir, owner);
    writeFileSync(file, mine); // its owner is gone
  }
  return () => {
    try {
      if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
    } catch {
      // already gone
    }
  };
}
