/**
 * One running terminal, composed the same way everywhere it runs (the
 * Electron app, `till terminal`, `till simulate`, the demo): the devices
 * (DATA/devices.json, a manager the caller started, or none), the selling
 * core on its ledger, replication to the hub when the terminal is enrolled
 * (with the devices' health in its status reports), and optionally the lane
 * server. Nothing here stops the terminal from selling: a bad devices file or
 * unusable hub credentials are logged and shown as a status instead.
 * close() stops them in reverse order: lane, replicator, terminal, devices.
 */
import type { DeviceManager } from '../../../drivers/index';
import { lineLogger, RecentErrors, recordingErrors, type Logger } from '../../shared/logger';
import { fileTokenVault } from '../../sync/credentials';
import type { TerminalSync, TerminalSyncOptions } from '../../sync/terminal-sync';
import type { Credentials, TokenVault } from '../../sync/types';
import { startLaneServer, type LaneServer } from '../lane/server';
import { deviceHealth, startFileDevices, type RuntimeDevices } from './devices-file';
import { loadFilePayments, type FilePayments } from './payments-file';
import { attachSync } from './sync';
import { syncStatusView } from '../handlers/sync-status';
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

export interface RuntimeOptions extends Omit<TerminalOptions, 'devices' | 'log'> {
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
}

export interface TerminalRuntime {
  terminal: Terminal;
  /** null when not replicating (not enrolled, sync: false, or unusable credentials) */
  sync: TerminalSync | null;
  lane: LaneServer | null;
  devices: RuntimeDevices;
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

/** what the till prints about its lane certificate, for the person pairing a tablet to compare */
export function laneCertificateLine(c: NonNullable<LaneServer['certificate']>): string {
  const what = c.action === 'made' ? 'made a new lane certificate' : c.action === 'reissued' ? `reissued the lane certificate (${c.reason ?? 'it needed renewing'})` : 'lane certificate';
  return `${what}: SHA-256 fingerprint ${c.fingerprint}`;
}

export async function startTerminalRuntime(o: RuntimeOptions): Promise<TerminalRuntime> {
  const { logger: givenLogger, log: givenLog, devices: deviceOpt = 'file', sync: wantSync = true, vault: givenVault, syncTuning, lane: laneOpt, ...terminalOpts } = o;
  const devices: RuntimeDevices =
    deviceOpt === 'file'
      ? startFileDevices(o.dataDir)
      : deviceOpt === null
        ? { source: 'none', manager: null, problem: null, summary: 'devices: none' }
        : { source: 'caller', manager: deviceOpt, problem: null, summary: 'devices: given by the caller' };
  const recent = new RecentErrors(10, terminalOpts.clock);
  const logger = recordingErrors(givenLogger ?? lineLogger(givenLog ?? ((l) => void process.stderr.write(`${l}\n`))), recent);
  const log = (line: string): void => logger.info(line);
  if (devices.problem) logger.warn(`devices: ${devices.problem} (selling without devices)`);
  const stopOwnDevices = async () => {
    if (devices.source === 'file') await devices.manager?.stop();
  };
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
    terminal = createTerminal({ ...terminalOpts, paymentProvider, log: (l) => logger.error(l), ...(givenVault ? { vault: givenVault } : {}), ...(devices.manager ? { devices: devices.manager } : {}) });
  } catch (e) {
    await stopOwnDevices();
    throw e;
  }
  let sync: TerminalSync | null = null;
  let lane: LaneServer | null = null;
  try {
    const vault = givenVault ?? fileTokenVault(terminal.ledger.dir);
    if (wantSync) {
      sync = attachSync(terminal, { logger: logger.child({ component: 'sync' }), vault, devices: () => deviceHealth(devices), extras: () => ({ errors: recent.list() }), ...(syncTuning ? { tuning: syncTuning } : {}) });
    } else {
      const t = terminal;
      const c = readQuietly(vault);
      t.setSyncStatus(() => syncStatusView(t.ledger, null, { enrolled: c !== null, hubUrl: c?.hubUrl ?? null, problem: null }));
    }
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
  } catch (e) {
    await sync?.replicator.stop();
    terminal.close();
    await stopOwnDevices();
    throw e;
  }
  const t = terminal;
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
  let closing: Promise<void> | null = null;
  return {
    terminal: t,
    sync,
    lane,
    devices,
    payments: filePayments,
    close: () =>
      (closing ??= (async () => {
        await lane?.close();
        await sync?.replicator.stop();
        t.close();
        await stopOwnDevices();
      })()),
  };
}
