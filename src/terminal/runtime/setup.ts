/**
 * The first-run set-up's work for a running terminal (the calls of
 * src/shared/contract/setup.ts, served through ../handlers/setup.ts).
 *
 * Hub: probeHub() (hub-probe.ts) reads the certificate (SHA-256
 * fingerprint, subject, expiry) and whether this computer's CAs vouch for
 * it, then asks GET /api/health. enroll() probes
 * again: a certificate no CA vouches for is pinned (its chain's top
 * certificate becomes the credentials' CA, as `till enroll --ca` does) only
 * when the fingerprint the person accepted is still the one the hub shows.
 * The credentials go through the terminal's vault (enrollment.ts), and
 * replication starts at once.
 *
 * Devices: while the set-up tests devices it owns them: the running devices
 * are let go at the first test (a serial port or a printer's socket has room
 * for one user), and each test runs on a short-lived manager built from the
 * chosen settings. save() writes DATA/devices.json (validated by the same
 * schema `till devices check` uses; fields the screen does not show, of a
 * device kept at the same address, stay) and the language into
 * DATA/terminal.json, then loads the new devices; close() loads the saved ones
 * again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDevices, parseDevicesConfig, type DeviceManager, type PrintJob } from '../../../drivers/index';
import { listPorts as listMachinePorts, type PortListing } from '../../../drivers/transport';
import type { MethodInput, MethodOutput } from '../../shared/contract/index';
import { NO_DEVICES, type DeviceTestAction, type HubProbe, type SetupDevices } from '../../shared/contract/setup';
import { TillError, isTillError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { TokenVault } from '../../sync/types';
import type { SetupService } from '../handlers/setup';
import { currentShift } from '../handlers/shifts';
import { DRAWER_OPENED, type DrawerOpenedPayload } from '../projections/operations';
import type { Terminal } from '../terminal';
import { DEVICES_FILE, readDevicesFile } from './devices-file';
import { enrollWithHub, normalizeHubUrl } from './enrollment';
import { writeJsonFile } from './json-file';
import { probeHub as probe } from './hub-probe';
import { readTerminalConfig, writeTerminalConfig } from './terminal-config';

export interface SetupDeps {
  dataDir: string;
  terminal: Terminal;
  vault: TokenVault;
  logger: Logger;
  /** the runtime lets go of the devices in use */
  releaseDevices(): Promise<void>;
  /** the runtime loads DATA/devices.json again; returns its one-line summary */
  reloadDevices(): Promise<string>;
  /** the runtime starts replicating (after an enrollment) */
  onEnrolled(): void;
  /** the machine's ports (default: `till devices list`'s listing) */
  listPorts?: () => Promise<PortListing>;
  /** how long a probe or a device test may take (default 5 s) */
  timeoutMs?: number;
}

/** the devices.json entries of the chosen devices; `keep` (the file as it is) lends its other fields to a device kept at the same address */
export function devicesJson(chosen: SetupDevices, keep: Record<string, unknown> = {}): Record<string, unknown> {
  const old = (k: string): Record<string, unknown> => {
    const v = keep[k];
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  };
  const out: Record<string, unknown> = {};
  if (keep.reconnect !== undefined) out.reconnect = keep.reconnect;
  const p = chosen.printer;
  if (p) out.printer = old('printer').address === p.address ? { ...old('printer'), ...p } : { ...p };
  const s = chosen.scanner;
  if (s) out.scanner = old('scanner').kind === s.kind && (s.kind === 'wedge' || old('scanner').path === s.path) ? { ...old('scanner'), ...s } : { ...s };
  const d = chosen.drawer;
  if (d) out.drawer = old('drawer').kind === d.kind && (d.kind === 'printer' || old('drawer').path === d.path) ? { ...old('drawer'), ...d } : { ...d };
  const v = chosen.display;
  if (v) out.display = old('display').path === v.path ? { ...old('display'), ...v } : { ...v };
  return out;
}

/** the part of the chosen devices one test needs */
function forTest(chosen: SetupDevices, action: DeviceTestAction): SetupDevices {
  switch (action) {
    case 'print':
      if (!chosen.printer) throw new TillError('bad-input', 'choose a receipt printer first');
      return { ...NO_DEVICES, printer: chosen.printer };
    case 'drawer':
      if (!chosen.drawer) throw new TillError('bad-input', 'choose a cash drawer first');
      if (chosen.drawer.kind === 'printer' && !chosen.printer) throw new TillError('bad-input', 'a drawer on the printer needs the receipt printer');
      return { ...NO_DEVICES, drawer: chosen.drawer, printer: chosen.drawer.kind === 'printer' ? chosen.printer : null };
    case 'display':
      if (!chosen.display) throw new TillError('bad-input', 'choose a customer display first');
      return { ...NO_DEVICES, display: chosen.display };
    case 'scanner':
      if (!chosen.scanner) throw new TillError('bad-input', 'choose a scanner first');
      return { ...NO_DEVICES, scanner: chosen.scanner };
  }
}

function untilJobSettles(m: DeviceManager, timeoutMs: number): Promise<PrintJob | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(m.jobs().at(-1) ?? null);
    }, timeoutMs);
    const off = m.on('job', (j) => {
      if (j.state === 'done' || j.state === 'failed' || (j.state === 'waiting' && j.reason)) {
        clearTimeout(timer);
        off();
        resolve(j);
      }
    });
  });
}

/** the saved devices.json as the screen shows it */
function savedDevices(dataDir: string): { devices: SetupDevices; problem: string | null } {
  const f = readDevicesFile(dataDir);
  const c = f.config;
  if (!c) return { devices: NO_DEVICES, problem: f.problem };
  return {
    devices: {
      printer: c.printer ? { address: c.printer.address, width: c.printer.width } : null,
      scanner: c.scanner ? (c.scanner.kind === 'wedge' ? { kind: 'wedge' } : { kind: 'serial', path: c.scanner.path }) : null,
      drawer: c.drawer ? (c.drawer.kind === 'printer' ? { kind: 'printer' } : { kind: 'serial', path: c.drawer.path ?? '' }) : null,
      display: c.display ? { path: c.display.path } : null,
    },
    problem: null,
  };
}

export function createSetupService(d: SetupDeps): SetupService {
  const timeoutMs = d.timeoutMs ?? 5000;
  const { ledger } = d.terminal;
  const devicesFile = path.join(d.dataDir, DEVICES_FILE);
  let released = false;

  const credentials = () => {
    try {
      return d.vault.read();
    } catch {
      return null;
    }
  };

  async function probeHub(url: string): Promise<HubProbe & { topPem: string | null }> {
    const p = await probe(normalizeHubUrl(url), { trustPresented: true, timeoutMs });
    return { url: p.url, reachable: p.reachable, tls: p.tls, trusted: p.trusted, fingerprint: p.fingerprint, subject: p.subject, validTo: p.validTo, problem: p.problem, topPem: p.topPem };
  }

  async function testOn(m: DeviceManager, action: DeviceTestAction, user: { code: string }): Promise<{ ok: boolean; state: string | null; message: string }> {
    if (action === 'scanner' && m.config.scanner?.kind === 'wedge') return { ok: true, state: null, message: 'a keyboard-wedge scanner types into the cashier screen: scan into the scan field' };
    await m.whenReady(timeoutMs);
    switch (action) {
      case 'print': {
        const st = await m.printerStatus();
        if (st.state !== 'ready' && st.state !== 'paper-near-end') return { ok: false, state: st.state, message: st.message };
        await m.test('print');
        const job = await untilJobSettles(m, timeoutMs);
        // ask the printer again: the cached status can still read 'unknown' right after a job
        const after = job?.state === 'done' ? (await m.printerStatus()).state : (m.status().printer?.status.state ?? null);
        return job?.state === 'done' ? { ok: true, state: after, message: `test receipt printed on ${m.config.printer?.address ?? ''}` } : { ok: false, state: after, message: job?.reason ?? 'the test receipt did not print in time' };
      }
      case 'drawer': {
        const payload: DrawerOpenedPayload = { cause: 'no-sale', ref: null, shiftId: currentShift(ledger.db)?.shiftId ?? null, cashier: user.code, approvedBy: null, reason: 'drawer test (set-up)' };
        ledger.append(DRAWER_OPENED, payload);
        await m.openDrawer();
        const state = await m.drawerState();
        return { ok: true, state, message: `drawer kicked; it reads ${state}` };
      }
      case 'display':
        await m.test('display');
        return { ok: true, state: null, message: `display test sent to ${m.config.display?.path ?? ''}` };
      case 'scanner':
        return { ok: true, state: null, message: `scanner connected on ${m.config.scanner?.kind === 'serial' ? m.config.scanner.path : ''}` };
    }
  }

  return {
    status: () => {
      const enrolled = credentials() !== null;
      return { needed: !readTerminalConfig(d.dataDir).exists && !fs.existsSync(devicesFile) && !enrolled, language: readTerminalConfig(d.dataDir).config.language };
    },
    state: () => {
      const c = credentials();
      const saved = savedDevices(d.dataDir);
      return {
        store: ledger.identity.store,
        terminal: ledger.identity.terminal,
        language: readTerminalConfig(d.dataDir).config.language,
        hub: c ? { url: c.hubUrl, terminalId: c.terminalId, pinned: c.ca !== undefined } : null,
        devices: saved.devices,
        devicesProblem: saved.problem,
      };
    },
    ports: async () => {
      const listing = await (d.listPorts ?? (() => listMachinePorts()))();
      return { ports: listing.ports.map((p) => ({ path: p.path, kind: p.kind, ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}), ...(p.vendorId ? { vendorId: p.vendorId } : {}), ...(p.productId ? { productId: p.productId } : {}) })), notes: listing.notes };
    },
    probeHub: async (url) => {
      const { topPem: _pem, ...probe } = await probeHub(url);
      return probe;
    },
    enroll: async (i: MethodInput<'setup.enroll'>, user) => {
      const probe = await probeHub(i.url);
      if (!probe.reachable) throw new TillError('offline', probe.problem ?? `cannot reach ${probe.url}`);
      let ca: string | undefined;
      if (probe.tls && !probe.trusted) {
        if (!i.fingerprint || i.fingerprint.toUpperCase() !== probe.fingerprint?.toUpperCase()) {
          throw new TillError('conflict', `the hub's certificate (SHA-256 ${probe.fingerprint ?? '?'}) is not the one that was accepted: compare the fingerprint with the hub again`);
        }
        ca = probe.topPem ?? undefined;
      }
      const r = await enrollWithHub({ identity: ledger.identity, vault: d.vault, hubUrl: probe.url, code: i.code, ...(ca ? { ca } : {}) });
      d.logger.info(`enrolled ${r.terminalId} with ${r.hubUrl}${r.pinned ? ' (certificate pinned)' : ''} by ${user.code}`);
      d.onEnrolled();
      return { terminalId: r.terminalId, url: r.hubUrl, pinned: r.pinned };
    },
    testDevice: async (i, user): Promise<MethodOutput<'setup.testDevice'>> => {
      const config = devicesJson(forTest(i.devices, i.action));
      const m = createDevices(config);
      if (!released) {
        await d.releaseDevices();
        released = true;
      }
      m.start();
      try {
        return { action: i.action, ...(await testOn(m, i.action, user)) };
      } catch (e) {
        if (!isTillError(e) || e.code !== 'device-error') throw e;
        return { action: i.action, ok: false, state: 'disconnected', message: e.message };
      } finally {
        await m.stop();
      }
    },
    save: async (i, user) => {
      let keep: Record<string, unknown> = {};
      try {
        const raw = JSON.parse(fs.readFileSync(devicesFile, 'utf8')) as unknown;
        if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) keep = raw as Record<string, unknown>;
      } catch {
        keep = {};
      }
      const json = devicesJson(i.devices, keep);
      parseDevicesConfig(json);
      writeJsonFile(devicesFile, json);
      const cfg = readTerminalConfig(d.dataDir).config;
      writeTerminalConfig(d.dataDir, { ...cfg, language: i.language });
      released = false;
      const summary = await d.reloadDevices();
      d.logger.info(`set-up saved by ${user.code}: ${summary}`);
      return { devicesFile, summary };
    },
    close: async () => {
      released = false;
      return { summary: await d.reloadDevices() };
    },
  };
}
