/**
 * One process at a time holds an embedded database (src/db/embedded-lock.ts): a second is
 * refused while the owner lives, a lock left by a process that is gone is taken over, and the
 * release leaves no lock behind.
 */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { EmbeddedDatabaseInUse, lockEmbeddedDatabase } from '../../src/db/embedded-lock';

describe('foundation: the embedded database is held by one process', () => {
  let dir: string;
  let dataDir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sidecar-lock-'));
    dataDir = path.join(dir, 'pglite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes its pid beside the folder and removes it on release', () => {
    const release = lockEmbeddedDatabase(dataDir);
    expect(readFileSync(dataDir + '.lock', 'utf8')).to.equal(String(process.pid));
    release();
    expect(existsSync(dataDir + '.lock')).to.equal(false);
  });

  it('refuses while another live process holds it, saying what to do', () => {
    // The parent of this process (mocha's runner or the shell) is alive for the whole test.
    writeFileSync(dataDir + '.lock', String(process.ppid));
    expect(() => lockEmbeddedDatabase(dataDir)).to.throw(EmbeddedDatabaseInUse, `in use by another sidecar process (pid ${process.ppid})`);
    expect(readFileSync(dataDir + '.lock', 'utf8')).to.equal(String(process.ppid));
  });

  it('takes over a lock whose process is gone', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    writeFileSync(dataDir + '.lock', gone);
    const release = lockEmbeddedDatabase(dataDir);
    expect(readFileSync(dataDir + '.lock', 'utf8')).to.equal(String(process.pid));
    release();
  });
});
