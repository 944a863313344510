/**
 * The replicator: pushes this terminal's journal to the hub, exactly once.
 *
 * A session is one socket.io connection. After the hub's `hello {hwm}` the
 * replicator checks that its own entry at hwm.seq carries hwm.hash (else the
 * journals diverged: stop), then sends contiguous batches from hwm.seq+1,
 * bounded by count and bytes, with up to `inFlight` batches unacknowledged.
 * The acked mark moves only when an ack arrives. Any failure ends the session
 * (pending acks are ignored) and a new one starts after an exponential
 * backoff with jitter; it resumes from the hub's hwm, so a batch whose ack was
 * lost is never stored twice (the hub is idempotent on (terminal, seq)).
 *
 * Selling never waits: append() in the ledger only triggers a debounced
 * wake(); reading the journal happens on the replicator's own timers, and the
 * only write is the acked mark after an ack. Catalog changes flow down:
 * `catalog:changed` (or a newer version in hello) -> pull the delta -> check
 * its signature against the hub key pinned at enrollment -> the CatalogSink
 * applies it in one transaction. A delta that does not verify is refused and
 * raised as an alert (hub-trust.ts); so is a hub off this computer without
 * TLS, unless enrolled with --insecure.
 */
import { EventEmitter } from 'node:events';
import { io, type Socket } from 'socket.io-client';
import type { JournalEntry } from '../shared/journal';
import {
  TERMINAL_NAMESPACE,
  catalogChangedSchema,
  catalogPullAckSchema,
  helloSchema,
  pushAckSchema,
  type BatchLimits,
  type Hello,
  type Hwm,
  type PushAck,
  type Refusal,
  type StatusReport,
  type SyncReason,
} from '../shared/replication';
import { checkHubUrl, deltaSignatureValid } from './hub-trust';
import { SyncError, type SyncErrorReason } from './sync-error';
import type { CatalogSink, Credentials, DeviceHealthProvider, JournalSource, ReplicationState, StatusExtrasProvider, SyncMode, SyncPhase, SyncStatus } from './types';

export interface ReplicatorOptions {
  credentials: Credentials;
  source: JournalSource;
  state: ReplicationState;
  catalog?: CatalogSink;
  devices?: DeviceHealthProvider;
  /** the recent errors and backup health carried by every status report */
  extras?: StatusExtrasProvider;
  appVersion: string;
  mode?: SyncMode;
  /** this side's batch bounds (the hub's, from hello, also apply) */
  batch?: BatchLimits;
  inFlight?: number;
  ackTimeoutMs?: number;
  connectTimeoutMs?: number;
  statusIntervalMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  debounceMs?: number;
  /** safety net when the source gives no append notification */
  pollMs?: number;
  random?: () => number;
  now?: () => Date;
}

interface Session {
  socket: Socket;
  cursor: number;
  inFlight: number;
  limits: BatchLimits;
  /** the hub's own byte limit: a single entry larger than our batch budget may still go alone up to it */
  hubMaxBytes: number;
  ready: boolean;
  statusTimer: NodeJS.Timeout | null;
  pulling: boolean;
  /** the newest catalog version the hub announced */
  wantVersion: number;
  /** catalog refusals already raised as alerts in this session */
  alerted: Set<string>;
}

/**
 * The wait before reconnect attempt n (0-based): exponential from baseMs,
 * capped at maxMs, with "equal jitter" (half fixed, half random) so a fleet
 * that lost the hub at the same moment does not come back in step.
 */
export function backoffDelay(attempt: number, backoff: { baseMs: number; maxMs: number }, random: number): number {
  const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return cap / 2 + random * (cap / 2);
}

export interface ReplicatorEvents {
  status: [SyncStatus];
}

export class Replicator extends EventEmitter<ReplicatorEvents> {
  private readonly o: Required<Omit<ReplicatorOptions, 'catalog' | 'devices' | 'extras' | 'mode'>> & Pick<ReplicatorOptions, 'catalog' | 'devices' | 'extras'>;
  private mode: SyncMode;
  private phase: SyncPhase = 'idle';
  private session: Session | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private wakeTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastError: SyncStatus['lastError'] = null;
  private stopError: SyncError | null = null;
  private started = false;
  /** the hub confirmed this ledger's position (a good hello) since start() */
  private confirmed = false;

  constructor(opts: ReplicatorOptions) {
    super();
    this.o = {
      batch: { maxEntries: 1000, maxBytes: 2 * 1024 * 1024 - 4096 },
      inFlight: 4,
      ackTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      statusIntervalMs: 30_000,
      backoff: { baseMs: 500, maxMs: 30_000 },
      debounceMs: 5,
      pollMs: 1000,
      random: Math.random,
      now: () => new Date(),
      ...opts,
    };
    this.mode = opts.mode ?? 'enabled';
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.confirmed = false;
    this.unsubscribe = this.o.source.onAppend?.(() => this.wake()) ?? null;
    this.pollTimer = setInterval(() => this.wake(), this.o.pollMs);
    this.pollTimer.unref();
    this.applyMode();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of [this.retryTimer, this.wakeTimer]) if (t) clearTimeout(t);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retryTimer = this.wakeTimer = this.pollTimer = null;
    this.endSession();
  }

  setMode(mode: SyncMode): void {
    this.mode = mode;
    if (mode === 'enabled') this.stopError = null;
    if (this.started) this.applyMode();
  }

  /** the append notification: debounced, never blocks the caller */
  wake(): void {
    if (this.wakeTimer || !this.session?.ready) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.pump();
    }, this.o.debounceMs);
  }

  status(): SyncStatus {
    const head = this.o.source.head();
    const acked = this.o.state.acked();
    return {
      mode: this.mode,
      phase: this.phase,
      connected: this.session?.ready ?? false,
      head,
      acked,
      queueDepth: Math.max(0, head.seq - acked.seq),
      catalogVersion: this.o.catalog ? this.o.catalog.version() : null,
      lastError: this.lastError,
    };
  }

  /**
   * Resolves once the hub has acknowledged everything up to the journal's
   * head; rejects with the SyncError that stopped the push, or 'timeout'.
   */
  untilIdle(timeoutMs: number): Promise<Hwm> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.stopError) return finish(this.stopError);
        if (this.mode !== 'enabled') return finish(new SyncError('offline', `replication is ${this.mode}`));
        const head = this.o.source.head();
        if (this.confirmed && this.o.state.acked().seq >= head.seq) return finish(null, head);
      };
      const timer = setTimeout(() => {
        const why = this.lastError ? `; last error: ${this.lastError.message}` : '';
        finish(new SyncError('timeout', `the hub did not acknowledge everything within ${Math.round(timeoutMs / 1000)} s (${this.status().queueDepth} entries still queued)${why}`));
      }, timeoutMs);
      const finish = (e: SyncError | null, head?: Hwm) => {
        clearTimeout(timer);
        this.off('status', check);
        if (e) reject(e);
        else resolve(head as Hwm);
      };
      this.on('status', check);
      check();
    });
  }

  private applyMode(): void {
    if (this.mode !== 'enabled') {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.endSession();
      this.setPhase(this.mode);
      return;
    }
    if (this.stopError) return this.setPhase('stopped');
    if (!this.session && !this.retryTimer) this.connect();
  }

  private setPhase(phase: SyncPhase): void {
    this.phase = phase;
    this.emit('status', this.status());
  }

  private fail(e: SyncError): void {
    this.lastError = { reason: e.reason, message: e.message, at: this.o.now().toISOString() };
    if (e.fatal) {
      this.stopError = e;
      this.o.state.addAlert({ at: this.lastError.at, code: e.reason, message: e.message, details: e.details ?? {} });
      this.endSession();
      this.setPhase('stopped');
      return;
    }
    this.endSession();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (!this.started || this.mode !== 'enabled' || this.stopError || this.retryTimer) return;
    const delay = backoffDelay(this.attempt, this.o.backoff, this.o.random());
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
    this.setPhase('backoff');
  }

  private endSession(): void {
    const s = this.session;
    if (!s) return;
    this.session = null;
    if (s.statusTimer) clearInterval(s.statusTimer);
    s.socket.removeAllListeners();
    s.socket.disconnect();
  }

  private connect(): void {
    if (!this.started || this.mode !== 'enabled' || this.session) return;
    const c = this.o.credentials;
    try {
      checkHubUrl(c.hubUrl, c.insecure === true);
    } catch (e) {
      this.fail(new SyncError('insecure-hub', e instanceof Error ? e.message : String(e)));
      return;
    }
    const socket = io(`${c.hubUrl}${TERMINAL_NAMESPACE}`, {
      auth: { terminalId: c.terminalId, token: c.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: this.o.connectTimeoutMs,
      ...(c.ca ? { ca: c.ca } : {}),
    });
    const session: Session = { socket, cursor: 0, inFlight: 0, limits: this.o.batch, hubMaxBytes: this.o.batch.maxBytes, ready: false, statusTimer: null, pulling: false, wantVersion: 0, alerted: new Set() };
    this.session = session;
    this.setPhase('connecting');
    const mine = () => this.session === session;
    socket.on('connect_error', (err: Error & { data?: Refusal }) => {
      if (!mine()) return;
      const code = err.data?.code;
      this.fail(code ? new SyncError(code, err.data?.message ?? err.message) : new SyncError('offline', `cannot reach the hub at ${c.hubUrl}: ${err.message}`));
    });
    socket.on('disconnect', (why) => {
      if (mine()) this.fail(new SyncError('offline', `connection to the hub lost (${why})`));
    });
    socket.on('hello', (raw: unknown) => {
      if (!mine()) return;
      const hello = helloSchema.safeParse(raw);
      if (!hello.success) return this.fail(new SyncError('protocol', 'the hub sent a malformed hello'));
      this.onHello(session, hello.data);
    });
    socket.on('catalog:changed', (raw: unknown) => {
      const m = catalogChangedSchema.safeParse(raw);
      if (mine() && m.success) this.pullCatalog(session, m.data.version);
    });
  }

  private onHello(s: Session, hello: Hello): void {
    const head = this.o.source.head();
    const hwm = hello.hwm;
    if (hwm.seq > head.seq) {
      return this.fail(new SyncError('hub-ahead', `the hub has ${hwm.seq} entries of this terminal but this ledger ends at ${head.seq}: restore it from the hub`, { hubSeq: hwm.seq, localSeq: head.seq }));
    }
    if (hwm.seq > 0) {
      const mine = this.o.source.entries(hwm.seq, 1)[0];
      if (!mine || mine.hash !== hwm.hash) {
        return this.fail(new SyncError('ledger-diverged', `entry ${hwm.seq} of this ledger differs from the hub's copy`, { seq: hwm.seq, hubHash: hwm.hash, localHash: mine?.hash }));
      }
    }
    if (hwm.seq > this.o.state.acked().seq) this.o.state.setAcked(hwm);
    s.cursor = hwm.seq + 1;
    s.limits = { maxEntries: Math.min(this.o.batch.maxEntries, hello.limits.maxEntries), maxBytes: Math.min(this.o.batch.maxBytes, hello.limits.maxBytes) };
    s.hubMaxBytes = hello.limits.maxBytes;
    s.ready = true;
    this.confirmed = true;
    this.attempt = 0;
    this.lastError = null;
    this.reportStatus(s);
    /* the status tick also retries a catalog pull that failed */
    s.statusTimer = setInterval(() => {
      this.reportStatus(s);
      this.pullCatalog(s, s.wantVersion);
    }, this.o.statusIntervalMs);
    s.statusTimer.unref();
    if (this.o.catalog && hello.catalogVersion > this.o.catalog.version()) this.pullCatalog(s, hello.catalogVersion);
    this.pump();
  }

  /**
   * One batch from the cursor, bounded by the session's count and byte
   * limits. The bytes are measured as the hub measures them (the JSON of the
   * batch), once for the whole candidate list, shrinking it only when over.
   */
  private readBatch(s: Session): JournalEntry[] {
    let entries = this.o.source.entries(s.cursor, s.limits.maxEntries);
    const budget = s.limits.maxBytes - 64;
    for (;;) {
      if (entries.length === 0) return entries;
      const bytes = Buffer.byteLength(JSON.stringify({ entries }), 'utf8');
      if (bytes <= budget) return entries;
      if (entries.length === 1) {
        if (bytes <= s.hubMaxBytes - 64) return entries;
        throw new SyncError('entry-too-large', `journal entry ${s.cursor} is larger than the hub accepts (${s.hubMaxBytes} bytes)`, { seq: s.cursor });
      }
      entries = entries.slice(0, Math.max(1, Math.min(entries.length - 1, Math.floor((entries.length * budget) / bytes))));
    }
  }

  private pump(): void {
    const s = this.session;
    if (!s?.ready) return;
    try {
      while (s.inFlight < this.o.inFlight) {
        if (s.cursor > this.o.source.head().seq) break;
        const batch = this.readBatch(s);
        if (batch.length === 0) break;
        s.cursor = (batch[batch.length - 1] as JournalEntry).seq + 1;
        s.inFlight += 1;
        s.socket
          .timeout(this.o.ackTimeoutMs)
          .emitWithAck('push', { entries: batch })
          .then(
            (ack: unknown) => this.onAck(s, ack),
            () => {
              if (this.session === s) this.fail(new SyncError('timeout', `no ack from the hub within ${this.o.ackTimeoutMs} ms`));
            },
          );
      }
    } catch (e) {
      return this.fail(e instanceof SyncError ? e : new SyncError('protocol', e instanceof Error ? e.message : String(e)));
    }
    const phase: SyncPhase = s.inFlight > 0 ? 'pushing' : 'idle';
    if (phase !== this.phase) this.setPhase(phase);
  }

  private onAck(s: Session, raw: unknown): void {
    if (this.session !== s) return;
    s.inFlight -= 1;
    const parsed = pushAckSchema.safeParse(raw);
    if (!parsed.success) return this.fail(new SyncError('protocol', 'the hub sent a malformed ack'));
    const ack: PushAck = parsed.data;
    let hwm: Hwm | undefined;
    if (ack.ok) hwm = ack.hwm;
    else if (ack.error.code === 'replayed') hwm = ack.hwm;
    else return this.fail(new SyncError(ack.error.code as SyncReason as SyncErrorReason, ack.error.message));
    if (hwm && hwm.seq > this.o.state.acked().seq) this.o.state.setAcked(hwm);
    this.emit('status', this.status());
    this.pump();
  }

  private reportStatus(s: Session): void {
    const queueDepth = this.status().queueDepth;
    const report: StatusReport = {
      appVersion: this.o.appVersion,
      at: this.o.now().toISOString(),
      devices: this.o.devices?.() ?? [],
      queueDepth,
      oldestPendingAt: queueDepth > 0 ? (this.o.source.entries(this.o.state.acked().seq + 1, 1)[0]?.at ?? null) : null,
      lastError: this.lastError?.message.slice(0, 500) ?? null,
      ...this.o.extras?.(),
    };
    /* an unanswered report means a stalled link even when no batch is in flight */
    s.socket
      .timeout(this.o.ackTimeoutMs)
      .emitWithAck('status', report)
      .catch(() => {
        if (this.session === s) this.fail(new SyncError('timeout', `no answer from the hub within ${this.o.ackTimeoutMs} ms`));
      });
  }

  private pullCatalog(s: Session, version: number): void {
    const sink = this.o.catalog;
    s.wantVersion = Math.max(s.wantVersion, version);
    if (!sink || s.pulling || s.wantVersion <= sink.version()) return;
    s.pulling = true;
    const before = sink.version();
    s.socket
      .timeout(this.o.ackTimeoutMs)
      .emitWithAck('catalog:pull', { since: sink.version() })
      .then((raw: unknown) => {
        const ack = catalogPullAckSchema.parse(raw);
        if (!ack.ok) throw new SyncError(ack.error.code, ack.error.message);
        const hubKey = this.o.credentials.hubKey;
        if (!hubKey) throw new SyncError('hub-key-missing', 'this terminal was enrolled before hubs signed their catalog: enroll it again (till enroll) to receive catalog updates');
        if (!deltaSignatureValid(hubKey, (raw as { delta: unknown }).delta, ack.signature)) {
          throw new SyncError('bad-signature', `a catalog update (version ${ack.delta.version}) was not signed by this terminal's hub: refused, nothing applied`, { version: ack.delta.version });
        }
        if (ack.delta.version > sink.version()) sink.apply(ack.delta);
        this.emit('status', this.status());
      })
      .catch((e: unknown) => {
        const reason = e instanceof SyncError ? e.reason : 'protocol';
        this.lastError = { reason, message: `catalog update failed: ${e instanceof Error ? e.message : String(e)}`, at: this.o.now().toISOString() };
        /* an untrusted catalog is an attack or a misconfiguration: raised once per session as an alert */
        if ((reason === 'bad-signature' || reason === 'hub-key-missing') && !s.alerted.has(reason)) {
          s.alerted.add(reason);
          this.o.state.addAlert({ at: this.lastError.at, code: reason, message: this.lastError.message, details: e instanceof SyncError ? (e.details ?? {}) : {} });
        }
        this.emit('status', this.status());
      })
      .finally(() => {
        s.pulling = false;
        if (this.session === s && sink.version() < s.wantVersion && sink.version() > before) this.pullCatalog(s, s.wantVersion);
      });
  }
}
