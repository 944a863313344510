/**
 * Rebuilds a replaced terminal's ledger from the hub's copy of its journal.
 *
 * The new machine enrolls as the same (store, terminal) with a fresh one-time
 * code (the hub then replaces the old token), pulls the journal page by page
 * over the authenticated socket, and writes the entries verbatim (same ids,
 * times, hashes) into a new ledger file beside the final name: every hash is
 * recomputed and every link checked while writing, and the genesis must
 * name the enrolled terminal. The file is verified, renamed into place, and
 * opened through the terminal so the projections (sales, catalog, users) are
 * rebuilt from the journal. The acked mark starts at the hub's hwm, so the
 * next sale continues the sequence at hwm+1 and the hub accepts it.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MIGRATIONS_DIR, entryHash, ledgerExists, ledgerFile, loadMigrations, makePrivateDir, makePrivateFile, migrate, verifyLedgerFile } from '../ledger/index';
import { TillError } from '../shared/errors';
import { GENESIS_PREV_HASH, genesisPayloadSchema } from '../shared/journal';
import { enrollTerminal, fileTokenVault } from '../sync/credentials';
import { pullJournal } from '../sync/journal-pull';
import { sqliteReplicationState } from '../sync/sqlite-state';
import { createTerminal } from '../terminal/index';

export interface RestoreFromHubOptions {
  hubUrl: string;
  dir: string;
  store: string;
  terminal: string;
  code: string;
  ca?: string;
}

export async function restoreFromHub(o: RestoreFromHubOptions): Promise<{ entries: number; lastHash: string }> {
  if (ledgerExists(o.dir)) throw new TillError('conflict', `${o.dir} already holds a ledger; restore from the hub into an empty directory`);
  makePrivateDir(o.dir);
  const hubUrl = o.hubUrl.replace(/\/+$/, '');
  const enrolled = await enrollTerminal({ hubUrl, code: o.code, store: o.store, terminal: o.terminal, ...(o.ca ? { ca: o.ca } : {}) });
  const credentials = { hubUrl, terminalId: enrolled.terminalId, token: enrolled.token, hubKey: enrolled.hubKey, pinKey: enrolled.pinKey, ...(o.ca ? { ca: o.ca } : {}) };
  const final = ledgerFile(o.dir);
  const tmp = path.join(o.dir, `.restore-${process.pid}.db`);
  makePrivateFile(tmp);
  const db = new Database(tmp);
  let head = { seq: 0, hash: GENESIS_PREV_HASH };
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    migrate(db, loadMigrations(DEFAULT_MIGRATIONS_DIR), { what: tmp });
    const insert = db.prepare('INSERT INTO journal (seq, id, type, at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)');
    await pullJournal(credentials, (page) => {
      db.transaction(() => {
        for (const e of page) {
          if (entryHash(e.prevHash, e.seq, e.id, e.type, e.at, e.payload) !== e.hash) throw new TillError('ledger-corrupt', `the hub's copy of entry ${e.seq} does not match its hash; nothing was restored`);
          if (e.seq === 1) {
            const g = e.type === 'Genesis' ? genesisPayloadSchema.safeParse(JSON.parse(e.payload)).data : undefined;
            if (!g) throw new TillError('ledger-corrupt', `the hub's copy does not start with a genesis entry of ${o.store}/${o.terminal}`);
            if (g.store !== o.store || g.terminal !== o.terminal) throw new TillError('ledger-corrupt', `the hub's copy starts with the genesis of ${g.store}/${g.terminal}, not ${o.store}/${o.terminal}`);
          }
          insert.run(e.seq, e.id, e.type, e.at, e.payload, e.prevHash, e.hash);
          head = { seq: e.seq, hash: e.hash };
        }
      })();
    });
    if (head.seq === 0) throw new TillError('not-found', `the hub holds no journal of ${enrolled.terminalId}; there is nothing to restore`);
    sqliteReplicationState(db).setAcked(head);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    db.close();
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
    throw e;
  }
  db.close();
  const check = await verifyLedgerFile(tmp);
  if (!check.ok || check.entries !== head.seq) throw new TillError('ledger-corrupt', `the restored ledger does not verify: ${check.detail ?? 'entry count differs'}`);
  fs.renameSync(tmp, final);
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) fs.rmSync(f, { force: true });
  fileTokenVault(o.dir).write(credentials);
  const terminal = createTerminal({ dataDir: o.dir });
  try {
    terminal.ledger.rebuildProjections();
  } finally {
    terminal.close();
  }
  return { entries: head.seq, lastHash: head.hash };
}
