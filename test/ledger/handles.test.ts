/**
 * Read and write handles (ReadableDb / WritableDb): `Ledger.db` is typed for
 * reading, so it cannot be handed to a function that writes (checked by npm
 * run typecheck through the @ts-expect-error below); the writable handle comes
 * only inside the ledger's transaction, and what is written there commits
 * with it or not at all.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, type ReadableDb, type WritableDb } from '../../src/ledger/index';
import { ledgerOnlyMigrations, tempDirs } from '../fixtures/ledger/helpers';

const tmp = tempDirs('handles');
const migrationsDir = ledgerOnlyMigrations(tmp);

const countNotes = (db: ReadableDb) => db.prepare('SELECT count(*) FROM notes').pluck().get() as number;
const addNote = (db: WritableDb, text: string) => void db.prepare('INSERT INTO notes (text) VALUES (?)').run(text);

describe('ledger handles', () => {
  it('gives the writable handle only inside a transaction, where writes commit or roll back together', () => {
    const ledger = openLedger(path.join(tmp(), 'data'), { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
    ledger.transaction((db) => db.exec('CREATE TABLE notes (text TEXT NOT NULL)'));
    // @ts-expect-error the read handle is not a write handle
    const misuse = () => addNote(ledger.db, 'not through the transaction');
    ledger.transaction((db) => addNote(db, 'kept'));
    expect(() =>
      ledger.transaction((db) => {
        addNote(db, 'rolled back');
        throw new Error('the step after the write fails');
      }),
    ).toThrow('the step after the write fails');
    expect(countNotes(ledger.db)).toBe(1);
    expect(typeof misuse).toBe('function');
    ledger.close();
  });
});
