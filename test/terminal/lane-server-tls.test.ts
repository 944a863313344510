/**
 * The lane on a LAN address speaks only TLS. Binding another interface from a
 * test would expose it to the network, so the LAN lane here is 127.0.0.2 with
 * `tls: true` (the default for a non-loopback address, checked on its own).
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LANE_CERT_FILE, LANE_KEY_FILE } from '../../src/terminal/lane/certificate';
import { startLaneServer, type LaneServer } from '../../src/terminal/lane/server';
import { startTerminalRuntime } from '../../src/terminal/index';
import { connected, EchoTerminal, refused } from './lane-support';

let staticDir: string;
const dirs: string[] = [];
const servers: LaneServer[] = [];
const sockets: Socket[] = [];

beforeAll(() => {
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lane-tls-static-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Till lane page</title>');
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(() => fs.rmSync(staticDir, { recursive: true, force: true }));

function dataDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lane-tls-'));
  dirs.push(d);
  return d;
}

async function startLan(o: { certDir?: string; pairingCode?: string } = {}): Promise<LaneServer> {
  const s = await startLaneServer({ terminal: new EchoTerminal(), staticDir, host: '127.0.0.2', tls: true, certDir: o.certDir ?? dataDir(), ...(o.pairingCode ? { pairingCode: o.pairingCode } : {}) });
  servers.push(s);
  return s;
}

/** a socket.io client over wss that trusts only `ca` */
function connectTls(url: string, auth: Record<string, string>, ca: string): Socket {
  const s = io(url.replace(/#.*$/, ''), { auth, transports: ['websocket'], reconnection: false, ca });
  sockets.push(s);
  return s;
}

/** the certificate a TLS client is shown on that port */
function servedCertificate(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const c = tls.connect({ host: '127.0.0.2', port, rejectUnauthorized: false }, () => {
      const raw = c.getPeerX509Certificate();
      c.end();
      if (raw) resolve(raw);
      else reject(new Error('no certificate'));
    });
    c.on('error', reject);
  });
}

/** a plain-HTTP request to the lane: status, headers and body */
function plainHttp(port: number, p: string, headers: Record<string, string> = {}): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.2', port, path: p, headers: { host: `127.0.0.2:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ...(res.headers.location ? { location: res.headers.location } : {}), body }));
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 101, body: '' });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a lane on a LAN address', () => {
  it('speaks TLS by default off loopback (and needs a place for its certificate), plain HTTP on loopback', async () => {
    await expect(startLaneServer({ terminal: new EchoTerminal(), staticDir, host: '0.0.0.0' })).rejects.toThrow(/certDir/);
    const loop = await startLaneServer({ terminal: new EchoTerminal(), staticDir });
    servers.push(loop);
    expect(loop.certificate).toBeNull();
    expect(loop.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('serves HTTPS with the certificate whose fingerprint it gives, kept 0600 in the data directory', async () => {
    const dir = dataDir();
    const s = await startLan({ certDir: dir });
    expect(s.url).toBe(`https://127.0.0.2:${s.port}/#lane=${s.secret}`);
    const fp = s.certificate?.fingerprint ?? '';
    expect(fp).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect((await servedCertificate(s.port)).fingerprint256).toBe(fp);
    expect(new X509Certificate(fs.readFileSync(path.join(dir, LANE_CERT_FILE))).fingerprint256).toBe(fp);
    for (const f of [LANE_KEY_FILE, LANE_CERT_FILE]) expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    // a client that trusts exactly this certificate gets the page
    const page = await fetchTrusting(`https://127.0.0.2:${s.port}/`, s.certificate?.cert ?? '');
    expect(page).toContain('Till lane page');
    // the next start serves the same certificate
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const again = await startLan({ certDir: dir });
    expect(again.certificate).toMatchObject({ action: 'kept', fingerprint: fp });
    expect((await servedCertificate(again.port)).fingerprint256).toBe(fp);
  });

  it('the till prints the fingerprint of the certificate it serves at every start', async () => {
    const dir = dataDir();
    const run = async () => {
      const lines: string[] = [];
      const rt = await startTerminalRuntime({ dataDir: dir, create: { store: 'S01', terminal: 'T01' }, log: (l) => lines.push(l), devices: null, sync: false, lane: { staticDir, host: '127.0.0.2', tls: true } });
      try {
        const served = await servedCertificate(rt.lane?.port ?? 0);
        expect(served.subject).toBe('CN=Till S01/T01\nO=Till lane');
        return { lines, fingerprint: served.fingerprint256 };
      } finally {
        await rt.close();
      }
    };
    const first = await run();
    expect(first.lines).toContain(`made a new lane certificate: SHA-256 fingerprint ${first.fingerprint}`);
    const second = await run();
    expect(second.lines).toContain(`lane certificate: SHA-256 fingerprint ${first.fingerprint}`);
  });

  it('refuses plain HTTP: no page, no socket, a page address only redirected to https://', async () => {
    const s = await startLan();
    const page = await plainHttp(s.port, '/index.html?x=1');
    expect(page).toMatchObject({ status: 308, location: `https://127.0.0.2:${s.port}/index.html?x=1` });
    expect(page.body).not.toContain('Till lane page');
    const polling = await plainHttp(s.port, '/socket.io/?EIO=4&transport=polling');
    expect(polling.status).toBe(400);
    expect(polling.body).toBe('this till speaks https only\n');
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    expect((await plainHttp(s.port, '/socket.io/?EIO=4&transport=websocket', upgrade)).status).toBe(400);
    expect((await plainHttp(s.port, '/', { host: `evil.example:${s.port}` })).status).toBe(400);
    const post = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.2', port: s.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(post).toBe(400);
    // a socket.io client on plain ws:// never connects
    const plain = io(`http://127.0.0.2:${s.port}`, { auth: { laneSecret: s.secret }, transports: ['websocket'], reconnection: false });
    sockets.push(plain);
    await expect(connected(plain)).rejects.toThrow();
  });

  it('pairs a tablet with the code over WSS, tells it the fingerprint, and a client trusting another certificate gets nowhere', async () => {
    const s = await startLan({ pairingCode: '314159' });
    const cert = s.certificate?.cert ?? '';
    const asked = await refused(connectTls(s.url, {}, cert));
    expect(asked.data).toEqual({ code: 'pairing-required', fingerprint: s.certificate?.fingerprint });
    const wrong = await refused(connectTls(s.url, { pairingCode: '271828' }, cert));
    expect(wrong.data?.code).toBe('pairing-wrong');
    const tablet = connectTls(s.url, { pairingCode: '314159' }, cert);
    const handed = new Promise<unknown>((resolve) => tablet.once('lane:paired', resolve));
    await connected(tablet);
    expect(await handed).toEqual({ laneSecret: s.secret });
    expect(await tablet.emitWithAck('till:call', { method: 'system.status', input: {} })).toMatchObject({ ok: true });
    expect(s.pairingCode).not.toBe('314159');
    // another lane's certificate is not this one: the TLS handshake fails before any pairing
    const other = await startLan();
    await expect(connected(connectTls(s.url, { laneSecret: s.secret }, other.certificate?.cert ?? ''))).rejects.toThrow();
  });

  it('closes while a connection has said nothing yet', async () => {
    const s = await startLan();
    const idle = net.connect(s.port, '127.0.0.2');
    await new Promise<void>((resolve) => idle.once('connect', () => resolve()));
    const ended = new Promise<void>((resolve) => idle.once('close', () => resolve()));
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    await ended;
  });
});

/** GET over https trusting only `ca` (the host name is checked against the certificate too) */
function fetchTrusting(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}
