/**
 * The journal's typed events (src/shared/journal-events.ts) through the
 * ledger: a payload that does not match its type is refused before anything
 * is written; a projector receives the parsed payload; a stored entry that was
 * changed into another shape is 'ledger-corrupt' when read; types outside the
 * map are any JSON. The @ts-expect-error lines are checked by npm run typecheck.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, type Ledger } from '../../src/ledger/index';
import { checkJournalPayload, journalEvents, readJournalPayload, type JournalPayload } from '../../src/shared/journal-events';
import { ledgerOnlyMigrations, tempDirs } from '../fixtures/ledger/helpers';
import { tillError } from '../support/errors';

const tmp = tempDirs('journal-events');
const migrationsDir = ledgerOnlyMigrations(tmp);

function fresh(): Ledger {
  return openLedger(path.join(tmp(), 'data'), { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
}

const unlocked: JournalPayload<'UserUnlocked'> = { code: '1001', by: '9001' };

describe('typed journal events', () => {
  it('refuses a payload that does not match its type, and writes nothing', () => {
    const ledger = fresh();
    const head = ledger.head();
    // @ts-expect-error 'by' is missing: the compiler refuses it as well
    const e = tillError(() => ledger.append('UserUnlocked', { code: '1001' }));
    expect(e.code).toBe('internal');
    expect(e.message).toContain('by');
    expect(ledger.head()).toEqual(head);
    ledger.close();
  });

  it('hands a projector the parsed payload of its type', () => {
    const ledger = fresh();
    const seen: Array<JournalPayload<'UserUnlocked'>> = [];
    ledger.registerProjector('UserUnlocked', (_db, _e, p) => void seen.push(p));
    ledger.append('UserUnlocked', unlocked);
    expect(seen).toEqual([unlocked]);
    ledger.close();
  });

  it('reads an entry changed into another shape as ledger-corrupt, and a good one as its payload', () => {
    const ledger = fresh();
    const e = ledger.append('UserUnlocked', unlocked);
    expect(readJournalPayload('UserUnlocked', e.payload)).toEqual(unlocked);
    expect(tillError(() => readJournalPayload('UserUnlocked', '{"code":1001,"by":"9001"}')).code).toBe('ledger-corrupt');
    expect(tillError(() => readJournalPayload('UserUnlocked', '{"code":')).code).toBe('ledger-corrupt');
    ledger.close();
  });

  it('lets a rebuild fail on a stored entry that no longer matches its type', () => {
    const ledger = fresh();
    ledger.registerProjector('UserUnlocked', () => undefined);
    const e = ledger.append('UserUnlocked', unlocked);
    // what a changed file looks like: the append-only triggers are gone and an entry was rewritten
    ledger.db.exec('DROP TRIGGER journal_no_update');
    ledger.db.prepare('UPDATE journal SET payload = ? WHERE seq = ?').run('{"by":"9001"}', e.seq);
    expect(tillError(() => ledger.rebuildProjections()).code).toBe('ledger-corrupt');
    ledger.close();
  });

  it('takes any JSON for a type outside the map', () => {
    const ledger = fresh();
    expect(ledger.append('TestEntry', { anything: [1, 2] }).payload).toBe('{"anything":[1,2]}');
    expect(checkJournalPayload('TestEntry', 'text')).toEqual({ ok: true, value: 'text' });
    expect(Object.hasOwn(journalEvents, 'TestEntry')).toBe(false);
    ledger.close();
  });
});
