/**
 * Members brought over on migration day: their catalog rows (CatalogImported,
 * as an import of the catalog) and their opening balances (level, points,
 * stored value) in MemberOpeningBalances entries, projected into
 * member_openings (migrations/terminal/0070_member_openings.sql). One call
 * journals everything in one transaction; a member's opening balances are
 * taken once (the table's key refuses a second).
 */
import type { Member } from '../../shared/contract/catalog';
import type { JournalPayload, MemberOpening } from '../../shared/journal-events';
import type { Ledger } from '../../ledger/index';
import { importCatalog } from './catalog';

export const MEMBER_OPENING_BALANCES = 'MemberOpeningBalances' as const;

export type MemberOpeningBalancesPayload = JournalPayload<typeof MEMBER_OPENING_BALANCES>;

const CHUNK = 2000;
const registered = new WeakSet<Ledger>();

export function registerMemberProjectors(ledger: Ledger): void {
  if (registered.has(ledger)) return;
  registered.add(ledger);
  ledger.declareProjectionTables('member_openings');
  ledger.registerProjector(MEMBER_OPENING_BALANCES, (db, e, payload) => {
    const st = db.prepare('INSERT INTO member_openings (code, level, points, balance, phone, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const m of payload.members) st.run(m.code, m.level, m.points, m.balance, m.phone, e.seq, e.at);
  });
}

/** does member `code` have its opening balances on this till? */
export function hasOpening(ledger: Ledger): (code: string) => boolean {
  const st = ledger.db.prepare('SELECT 1 FROM member_openings WHERE code = ?').pluck();
  return (code) => st.get(code) !== undefined;
}

/** the member an opening balance gave mobile `phone`, or null */
export function phoneOwner(ledger: Ledger): (phone: string) => string | null {
  const st = ledger.db.prepare('SELECT code FROM member_openings WHERE phone = ?').pluck();
  return (phone) => (st.get(phone) as string | undefined) ?? null;
}

export interface MembersImportResult {
  version: number;
  members: number;
  openings: number;
  entries: number;
}

/** the members and their opening balances, in one transaction */
export function importMembers(ledger: Ledger, members: Member[], openings: MemberOpening[], source: string): MembersImportResult {
  registerMemberProjectors(ledger);
  return ledger.transaction(() => {
    const catalog = importCatalog(ledger, [], { members });
    let entries = catalog.entries;
    for (let i = 0; i < openings.length; i += CHUNK) {
      const payload: MemberOpeningBalancesPayload = { source, members: openings.slice(i, i + CHUNK) };
      ledger.append(MEMBER_OPENING_BALANCES, payload);
      entries += 1;
    }
    return { version: catalog.version, members: members.length, openings: openings.length, entries };
  });
}
