/**
 * One running terminal, composed the same way everywhere it runs (the
 * Electron app, `till terminal`, `till simulate`, the demo): the devices
 * (DATA/devices.json, a manager the caller started, or none), the selling
 * core on its ledger, replication to the hub when the terminal is enrolled
 * (with the devices' health, the log's last errors and the backups' health
 * in its status reports), its own backups on a schedule (DATA/terminal.json),
 * the first-run set-up's service, DATA/runtime-status.json for `till doctor`,
 * and optionally the lane server. Nothing here stops the terminal from
 * selling: a bad devices file, a bad terminal.json or unusable hub
 * credentials are logged and shown as a status instead.
 * close() stops them in reverse order: lane, status, backups, replicator,
 * terminal, devices.
 */
import type { DeviceManager } from '../../../drivers/index';
import { lineLogger, RecentErrors, recordingErrors, type Logger } from '../../shared/logger';
import { APP_VERSION } from '../../shared/version';
import { fileTokenVault } from '../../sync/credentials';
import type { TerminalSync, TerminalSyncOptions } from '../../sync/terminal-sync';
import type { Credentials, TokenVault } from '../../sync/types';
import { startLaneServer, type LaneServer } from '../lane/server';
import { deviceHealth, startFileDevices, type RuntimeDevices } from './devices-file';
import { loadFilePayments, type FilePayments } from './payments-file';
import { attachSync } from './sync';
import { BackupScheduler } from './backup-schedule';
import { createSetupService, type SetupDeps } from './setup';
import { readTerminalConfig } from './terminal-config';
import { removeRuntimeStatus, writeRuntimeStatus } from './runtime-status';
import { syncStatusView } from '../handlers/sync-status';
import { statusView } from '../handlers/devices';
import { createTerminal, type Terminal, type TerminalOptions } from '../terminal';

export interface RuntimeLaneOptions {
  /** the built renderer (out/renderer) */
  staticDir: string;
  /** default 127.0.0.1 */
  host?: string;
  /** default 0: any free port */
  port?: number;
  pairingCode?: string;
  /** speak TLS; default: when host is not a loopback address (the certificate is kept in the data directory) */
  tls?: boolean;
  /** a DNS name tablets reach the lane by (served and named in the certificate) */
  laneName?: string;
}

export interface RuntimeOptions extends Omit<TerminalOptions, 'devices' | 'log' | 'setup'> {
  /** the process's logger (pino, made by the composition root); its last warnings and errors go to the hub */
  logger?: Logger;
  /** instead of a logger: one line per record (tests; default: stderr) */
  log?: (line: string) => void;
  /** 'file' (default): DATA/devices.json when present; a started DeviceManager the caller stops; null: no devices */
  devices?: 'file' | DeviceManager | null;
  /** replicate to the hub when enrolled (default true) */
  sync?: boolean;
  /** where the hub credentials live (default: DATA/hub-credentials.json) */
  vault?: TokenVault;
  syncTuning?: TerminalSyncOptions['tuning'];
  /** serve the cashier UI on the lane server (default: no lane) */
  lane?: RuntimeLaneOptions | null;
  /** the backups on a schedule (default: on, checked every 30 s); null: off */
  backups?: { checkEveryMs?: number } | null;
  /** how often DATA/runtime-status.json is rewritten (default 10 s); 0: never */
  statusEveryMs?: number;
  /** the set-up service's ports listing and timeouts (tests) */
  setup?: Pick<SetupDeps, 'listPorts' | 'timeoutMs'>;
}

export interface TerminalRuntime {
  terminal: Terminal;
  /** null when not replicating (not enrolled, sync: false, or unusable credentials); set once the set-up enrolls */
  readonly sync: TerminalSync | null;
  lane: LaneServer | null;
  /** the devices in use (the set-up may change them) */
  readonly devices: RuntimeDevices;
  /** null when backups are off */
  backups: BackupScheduler | null;
  /** what DATA/payments.json gave (null when the caller passed a provider) */
  payments: FilePayments | null;
  close(): Promise<void>;
}

/** the credentials for the status view when replication is switched off; unreadable ones count as none */
function readQuietly(vault: TokenVault): Credentials | null {
  try {
    return vault.read();
  } catch {
    return null;
  }
}

const NO_DEVICES: RuntimeDevices = { source: 'none', manager: null, problem: null, summary: 'devices: none' };

/** what the till prints about its lane certificate, for the person pairing a tablet to compare */
export function laneCertificateLine(c: NonNullable<LaneServer['certificate']>): string {
  const what = c.action === 'made' ? 'made a new lane certificate' : c.action === 'reissued' ? `reissued the lane certificate (${c.reason ?? 'it needed renewing'})` : 'lane certificate';
  return `${what}: SHA-256 fingerprint ${c.fingerprint}`;
}

export async function startTerminalRuntime(o: RuntimeOptions): Promise<TerminalRuntime> {
  const { logger: givenLogger, log: givenLog, devices: deviceOpt = 'file', sync: wantSync = true, vault: givenVault, syncTuning, lane: laneOpt, backups: backupOpt, statusEveryMs = 10_000, setup: setupOpt, ...terminalOpts } = o;
  let devices: RuntimeDevices =
    deviceOpt === 'file' ? startFileDevices(o.dataDir) : deviceOpt === null ? NO_DEVICES : { source: 'caller', manager: deviceOpt, problem: null, summary: 'devices: given by the caller' };
  const recent = new RecentErrors(10, terminalOpts.clock);
  const logger = recordingErrors(givenLogger ?? lineLogger(givenLog ?? ((l) => void process.stderr.write(`${l}\n`))), recent);
  const log = (line: string): void => logger.info(line);
  if (devices.problem) logger.warn(`devices: ${devices.problem} (selling without devices)`);
  const stopOwnDevices = async () => {
    if (devices.source === 'file') await devices.manager?.stop();
  };
  let setupService: ReturnType<typeof createSetupService> | null = null;
  let payments: FilePayments | null = null;
  // DATA/payments.json with the hub's set-up of the store; made again (and logged) when the hub sends a new one
  const paymentProvider: TerminalOptions['paymentProvider'] =
    terminalOpts.paymentProvider ??
    (({ identity, hub }) => {
      const made = loadFilePayments({ dataDir: o.dataDir, identity, hub, ...(o.sleep ? { sleep: o.sleep } : {}) });
      if (payments) {
        log(made.summary);
        if (made.problem) log(`payments: ${made.problem}`);
      }
      payments = made;
      return made.provider;
    });
  let terminal: Terminal;
  try {
    terminal = createTerminal({ ...terminalOpts, paymentProvider, log: (l) => logger.error(l), setup: () => setupService, ...(givenVault ? { vault: givenVault } : {}), ...(devices.manager ? { devices: devices.manager } : {}) });
  } catch (e) {
    await stopOwnDevices();
    throw e;
  }
  const t = terminal;
  const config = readTerminalConfig(t.ledger.dir);
  if (config.problem) logger.warn(`${config.problem} (using the defaults)`);
  let sync: TerminalSync | null = null;
  let lane: LaneServer | null = null;
  let backups: BackupScheduler | null = null;
  let statusTimer: NodeJS.Timeout | null = null;
  const vault = givenVault ?? fileTokenVault(t.ledger.dir);
  const extras = () => ({ errors: recent.list(), backup: backups?.health() ?? null });
  const startSync = () => {
    sync = attachSync(t, { logger: logger.child({ component: 'sync' }), vault, devices: () => deviceHealth(devices), extras, ...(syncTuning ? { tuning: syncTuning } : {}) });
  };
  let lastContactAt: string | null = null;
  let closing: Promise<void> | null = null;
  const writeStatus = () => {
    const st = sync?.replicator.status() ?? null;
    if (st?.connected) lastContactAt = new Date().toISOString();
    try {
      writeRuntimeStatus(t.ledger.dir, {
        pid: process.pid,
        at: new Date().toISOString(),
        appVersion: APP_VERSION,
        devices: deviceHealth(devices),
        devicesView: devices.manager ? statusView(devices.manager.status(), devices.manager.jobs()) : null,
        sync: st ? { phase: st.phase, connected: st.connected, queueDepth: st.queueDepth, lastError: st.lastError?.message ?? null, reason: st.lastError?.reason ?? null, lastContactAt } : null,
        backup: backups?.health() ?? null,
      });
    } catch (e) {
      logger.warn(`${t.ledger.dir}: the runtime status could not be written: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  try {
    if (wantSync) {
      startSync();
    } else {
      const c = readQuietly(vault);
      t.setSyncStatus(() => syncStatusView(t.ledger, null, { enrolled: c !== null, hubUrl: c?.hubUrl ?? null, problem: null }));
    }
    if (backupOpt !== null) {
      const zSeq = t.ledger.db.prepare('SELECT coalesce(max(seq), 0) FROM day_closes').pluck();
      backups = new BackupScheduler({
        dataDir: t.ledger.dir,
        identity: t.ledger.identity,
        policy: config.config.backup,
        logger: logger.child({ component: 'backup' }),
        utcOffsetMinutes: () => t.catalog.settings().utcOffsetMinutes,
        lastZSeq: () => zSeq.get() as number,
        ...(terminalOpts.clock ? { clock: terminalOpts.clock } : {}),
        ...(backupOpt?.checkEveryMs ? { checkEveryMs: backupOpt.checkEveryMs } : {}),
        ...(terminalOpts.nativeBinding ? { nativeBinding: terminalOpts.nativeBinding } : {}),
      });
      backups.start();
    }
    setupService = createSetupService({
      dataDir: t.ledger.dir,
      terminal: t,
      vault,
      logger: logger.child({ component: 'setup' }),
      ...setupOpt,
      releaseDevices: async () => {
        const old = devices;
        t.replaceDevices(null);
        devices = NO_DEVICES;
        if (old.source === 'file') await old.manager?.stop();
      },
      reloadDevices: async () => {
        const old = devices;
        t.replaceDevices(null);
        if (old.source === 'file') await old.manager?.stop();
        devices = startFileDevices(t.ledger.dir);
        if (devices.problem) logger.warn(`devices: ${devices.problem} (selling without devices)`);
        t.replaceDevices(devices.manager);
        return devices.summary;
      },
      onEnrolled: () => {
        if (wantSync && !sync) startSync();
      },
    });
    if (laneOpt) {
      lane = await startLaneServer({
        terminal,
        staticDir: laneOpt.staticDir,
        ...(laneOpt.host ? { host: laneOpt.host } : {}),
        ...(laneOpt.port !== undefined ? { port: laneOpt.port } : {}),
        ...(laneOpt.pairingCode ? { pairingCode: laneOpt.pairingCode } : {}),
        ...(laneOpt.tls !== undefined ? { tls: laneOpt.tls } : {}),
        ...(laneOpt.laneName ? { laneName: laneOpt.laneName } : {}),
        certDir: terminal.ledger.dir,
        log: (l) => logger.info(l),
        certName: `Till ${terminal.ledger.identity.store}/${terminal.ledger.identity.terminal}`,
        onPairingCode: (code) => logger.warn(`lane pairing code is now ${code} (the last one was used, or guessed at too often)`),
      });
      const c = lane.certificate;
      if (c) log(laneCertificateLine(c));
    }
    if (statusEveryMs > 0) {
      writeStatus();
      statusTimer = setInterval(writeStatus, statusEveryMs);
      statusTimer.unref();
      // a change of the devices or of the hub connection is written at once (a burst of them once)
      let soon: NodeJS.Timeout | null = null;
      const changed = () => {
        if (soon || closing) return;
        soon = setTimeout(() => {
          soon = null;
          if (!closing) writeStatus();
        }, 100);
        soon.unref();
      };
      t.events.on('device.status', changed);
      t.events.on('sync.status', changed);
    }
  } catch (e) {
    await backups?.stop();
    await (sync as TerminalSync | null)?.replicator.stop();
    terminal.close();
    await stopOwnDevices();
    throw e;
  }
  const filePayments = payments as FilePayments | null;
  if (filePayments) {
    log(filePayments.summary);
    if (filePayments.problem) log(`payments: ${filePayments.problem}`);
  }
  // orders and refunds a crash left open are settled now, before the first cashier call in the queue
  void t.recoverPayments().then(
    (r) => {
      for (const s of r.payments.settled) log(`payments: open order ${s.orderNo} settled: ${s.outcome}${s.sale ? ` (sale ${s.sale})` : ''}`);
      for (const s of r.payments.open) log(`payments: order ${s.orderNo} is still open: ${s.problem}`);
      for (const s of r.refunds.completed) log(`payments: open refund ${s.refundId} completed as ${s.refundNo}`);
      for (const s of [...r.refunds.declined, ...r.refunds.open]) log(`payments: refund ${s} ${r.refunds.declined.includes(s) ? 'was declined by the provider' : 'is still open'}`);
    },
    (e: unknown) => log(`payments: settling open orders failed: ${e instanceof Error ? e.message : String(e)}`),
  );
  return {
    terminal: t,
    get sync() {
      return sync;
    },
    lane,
    get devices() {
      return devices;
    },
    backups,
    payments: filePayments,
    close: () =>
      (closing ??= (async () => {
        await lane?.close();
        if (statusTimer) clearInterval(statusTimer);
        await backups?.stop();
        await (sync as TerminalSync | null)?.replicator.stop();
        t.close();
        await stopOwnDevices();
        if (statusEveryMs > 0) removeRuntimeStatus(t.ledger.dir, process.pid);
      })()),
  };
}
