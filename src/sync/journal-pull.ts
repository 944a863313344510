/**
 * Reads a terminal's journal back from the hub (authenticated with the
 * terminal's token) in pages, for rebuilding a replaced terminal's ledger.
 * Every page is checked as the hub checks a push: contiguous seq, each
 * prev_hash linking to the previous entry. Hash recomputation is left to the
 * caller's ledger, which verifies everything it writes.
 */
import { io } from 'socket.io-client';
import { GENESIS_PREV_HASH, type JournalEntry } from '../shared/journal';
import { TERMINAL_NAMESPACE, helloSchema, journalPullAckSchema, type Hwm, type Refusal } from '../shared/replication';
import { SyncError } from './sync-error';
import type { Credentials } from './types';

export async function pullJournal(c: Credentials, onPage: (entries: JournalEntry[]) => void, o: { pageSize?: number; timeoutMs?: number } = {}): Promise<Hwm> {
  const socket = io(`${c.hubUrl}${TERMINAL_NAMESPACE}`, {
    auth: { terminalId: c.terminalId, token: c.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: o.timeoutMs ?? 15_000,
    ...(c.ca ? { ca: c.ca } : {}),
  });
  try {
    const hello = await new Promise<Hwm>((resolve, reject) => {
      socket.once('connect_error', (e: Error & { data?: Refusal }) => reject(e.data ? new SyncError(e.data.code, e.data.message) : new SyncError('offline', `cannot reach the hub at ${c.hubUrl}: ${e.message}`)));
      socket.once('hello', (raw: unknown) => resolve(helloSchema.parse(raw).hwm));
    });
    let prev: Hwm = { seq: 0, hash: GENESIS_PREV_HASH };
    while (prev.seq < hello.seq) {
      const ack = journalPullAckSchema.parse(await socket.timeout(o.timeoutMs ?? 15_000).emitWithAck('journal:pull', { fromSeq: prev.seq + 1, limit: o.pageSize ?? 2000 }));
      if (!ack.ok) throw new SyncError(ack.error.code, ack.error.message);
      if (ack.entries.length === 0) throw new SyncError('gap', `the hub returned no entries from ${prev.seq + 1} though its hwm is ${hello.seq}`);
      const page = ack.entries.filter((e) => e.seq <= hello.seq);
      for (const e of page) {
        if (e.seq !== prev.seq + 1 || e.prevHash !== prev.hash) throw new SyncError('broken-link', `the hub's copy does not chain at entry ${e.seq}`);
        prev = { seq: e.seq, hash: e.hash };
      }
      onPage(page);
    }
    if (prev.hash !== hello.hash) throw new SyncError('broken-link', `the hub's copy ends with another hash than its hwm`);
    return prev;
  } finally {
    socket.close();
  }
}
