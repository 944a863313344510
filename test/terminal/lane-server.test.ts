import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { isLoopback, isSameOrigin, startLaneServer, type LaneServer } from '../../src/terminal/lane/server';
import { GLOBAL_BUDGET } from '../../src/terminal/lane/pairing';
import { resolveStatic } from '../../src/terminal/lane/static';
import { connected, EchoTerminal, refused } from './lane-support';

let staticDir: string;
const servers: LaneServer[] = [];
const sockets: Socket[] = [];

beforeAll(() => {
  staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lane-'));
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Till</title>');
  fs.mkdirSync(path.join(staticDir, 'assets'));
  fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(path.dirname(staticDir), 'lane-secret.txt'), 'secret');
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of servers.splice(0)) await s.close();
});
afterAll(() => {
  fs.rmSync(staticDir, { recursive: true, force: true });
  fs.rmSync(path.join(path.dirname(staticDir), 'lane-secret.txt'), { force: true });
});

const SECRET = 'lane-secret-for-tests-0123456789abcdef';
async function start(terminal: EchoTerminal, host?: string, pairingCode?: string): Promise<LaneServer> {
  const s = await startLaneServer({ terminal, staticDir, secret: SECRET, ...(host ? { host } : {}), ...(pairingCode ? { pairingCode } : {}) });
  servers.push(s);
  return s;
}

const base = (s: LaneServer) => s.url.replace(/#.*$/, '');

/** a socket.io client (from a given loopback source address when `from` is set) */
function connect(url: string, auth: Record<string, string> = { laneSecret: SECRET }, from?: string): Socket {
  const s = io(url.replace(/#.*$/, ''), { auth, transports: ['websocket'], reconnection: false, ...(from ? { localAddress: from } : {}) });
  sockets.push(s);
  return s;
}


describe('lane server', () => {
  it('binds 127.0.0.1 by default and needs no pairing there', async () => {
    const s = await start(new EchoTerminal());
    expect(s.host).toBe('127.0.0.1');
    expect(s.pairingCode).toMatch(/^\d{6}$/);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/#lane=${SECRET}`);
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const s = await start(new EchoTerminal());
    const page = await fetch(base(s));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Till</title>');
    const js = await fetch(`${base(s)}assets/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${base(s)}missing.js`)).status).toBe(404);
    for (const sneaky of ['%2e%2e/lane-secret.txt', '..%2flane-secret.txt', '..%5clane-secret.txt']) {
      const r = await fetch(`${base(s)}${sneaky}`);
      expect(r.status).not.toBe(200);
      expect(await r.text()).not.toContain('secret');
    }
    expect(resolveStatic('/srv/r', '/../etc/passwd')).toBeNull();
    expect(resolveStatic('/srv/r', '/..%2fetc/passwd')).toBeNull();
    expect(resolveStatic('/srv/r', '/a%00.js')).toBeNull();
    expect(resolveStatic('/srv/r', '/')).toBe(path.resolve('/srv/r/index.html'));
    expect(resolveStatic('/srv/r', '/assets/x.js')).toBe(path.resolve('/srv/r/assets/x.js'));
    expect((await fetch(base(s), { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('carries a call to dispatch and the Result back, with the context', async () => {
    const t = new EchoTerminal();
    const s = await start(t);
    const c = connect(s.url);
    await connected(c);
    const r = await c.emitWithAck('till:call', { method: 'system.status', input: {}, ctx: { sessionToken: 'tok' } });
    expect(r).toEqual({ ok: true, value: { method: 'system.status', input: {}, ctx: { sessionToken: 'tok' } } });
    expect(t.calls).toHaveLength(1);
  });

  it('refuses unknown methods and malformed envelopes without reaching dispatch', async () => {
    const t = new EchoTerminal();
    const s = await start(t);
    const c = connect(s.url);
    await connected(c);
    expect(await c.emitWithAck('till:call', { method: 'process.exit', input: {} })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await c.emitWithAck('till:call', 'system.status')).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    expect(t.calls).toHaveLength(0);
  });

  it('turns a thrown handler into an internal error Result that names nothing inside, with the detail in the log', async () => {
    const logged: string[] = [];
    const s = await startLaneServer({ terminal: new EchoTerminal(), staticDir, secret: SECRET, log: (l) => logged.push(l) });
    servers.push(s);
    const c = connect(s.url);
    await connected(c);
    expect(await c.emitWithAck('till:call', { method: 'auth.whoami', input: {} })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the terminal failed unexpectedly (logged)' },
    });
    expect(logged.join('\n')).toContain('auth.whoami failed unexpectedly: Error: handler blew up');
  });

  it('sends events only to signed-in sockets: an anonymous socket hears nothing', async () => {
    const t = new EchoTerminal();
    const s = await start(t);
    const anon = connect(s.url);
    const cashier = connect(s.url);
    await Promise.all([connected(anon), connected(cashier)]);
    const heard: unknown[] = [];
    anon.on('till:event', (e: unknown) => heard.push(e));
    const login = (await cashier.emitWithAck('till:call', { method: 'auth.login', input: { userCode: '1001', pin: '1234' } })) as { value: { sessionToken: string } };
    expect(t.calls.at(-1)?.source).toBe('lane:127.0.0.1');
    const got = new Promise((resolve) => cashier.once('till:event', resolve));
    t.events.emit('scan', { code: '134567890123456789', source: 'serial', at: '2026-06-01T04:00:00.000Z' });
    expect(await got).toMatchObject({ name: 'scan', payload: { code: '134567890123456789' } });
    t.events.emit('cart.changed', { cart: { member: { code: '8888000001', name: '会员001' } } } as never);
    // the anonymous socket signs in now: the first event it hears is the next one, nothing from before
    await anon.emitWithAck('till:call', { method: 'system.status', input: {}, ctx: { sessionToken: login.value.sessionToken } });
    const next = new Promise((resolve) => anon.once('till:event', resolve));
    t.events.emit('sync.status', { state: 'offline', queueDepth: 3, lastError: null });
    expect(await next).toEqual({ name: 'sync.status', payload: { state: 'offline', queueDepth: 3, lastError: null } });
    expect(heard).toEqual([{ name: 'sync.status', payload: { state: 'offline', queueDepth: 3, lastError: null } }]);
  });

  it('sends a device scan to one socket only, the signed-in one used last, however many windows share the session', async () => {
    const t = new EchoTerminal();
    const s = await start(t);
    const a = connect(s.url);
    const b = connect(s.url);
    await Promise.all([connected(a), connected(b)]);
    const login = (await a.emitWithAck('till:call', { method: 'auth.login', input: { userCode: '1001', pin: '1234' } })) as { value: { sessionToken: string } };
    const ctx = { sessionToken: login.value.sessionToken };
    await b.emitWithAck('till:call', { method: 'cart.get', input: {}, ctx });
    const scans = { a: 0, b: 0 };
    a.on('till:event', (e: { name: string }) => void (e.name === 'scan' && scans.a++));
    b.on('till:event', (e: { name: string }) => void (e.name === 'scan' && scans.b++));
    const after = Promise.all([a, b].map((c) => new Promise((resolve) => c.on('till:event', (e: { name: string }) => e.name === 'sync.status' && resolve(e)))));
    t.events.emit('scan', { code: '6901234567892', source: 'serial', at: '2026-06-01T04:00:00.000Z' });
    t.events.emit('sync.status', { state: 'online', queueDepth: 0, lastError: null });
    // the status event after the scan reached both sockets, so the scan, sent before it, has arrived wherever it went
    await after;
    expect(scans).toEqual({ a: 0, b: 1 });
  });

  it('needs the per-launch secret even on loopback, or the pairing code, which then changes', async () => {
    const s = await start(new EchoTerminal());
    expect((await refused(connect(s.url, {}))).data?.code).toBe('pairing-required');
    expect((await refused(connect(s.url, { laneSecret: 'guess' }))).data?.code).toBe('pairing-wrong');
    const code = s.pairingCode;
    const paired = connect(s.url, { pairingCode: code });
    const handed = new Promise((resolve) => paired.once('lane:paired', resolve));
    await connected(paired);
    expect(await handed).toEqual({ laneSecret: SECRET });
    expect(s.pairingCode).not.toBe(code);
  });

  it('serves only its own Host names: a DNS-rebinding page is refused on HTTP and websocket', async () => {
    const s = await start(new EchoTerminal());
    const get = (hostHeader: string, p: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: s.port, path: p, headers: { host: hostHeader, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('upgrade', (_res, socket) => {
          socket.destroy();
          resolve(101);
        });
        req.on('error', reject);
        req.end();
      });
    const evil = `evil.example:${s.port}`;
    expect(await get(evil, '/')).toBe(421);
    expect(await get(evil, '/socket.io/?EIO=4&transport=polling', { origin: `http://${evil}` })).toBe(403);
    const upgrade = { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' };
    expect(await get(evil, '/socket.io/?EIO=4&transport=websocket', { ...upgrade, origin: `http://${evil}` })).not.toBe(101);
    for (const own of [`127.0.0.1:${s.port}`, `localhost:${s.port}`]) {
      expect(await get(own, '/')).toBe(200);
      expect(await get(own, '/socket.io/?EIO=4&transport=websocket', { ...upgrade, origin: `http://${own}` })).toBe(101);
    }
  });

  it('refuses a cross-origin browser handshake', async () => {
    const s = await start(new EchoTerminal());
    const res = await fetch(`${base(s)}socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    const same = await fetch(`${base(s)}socket.io/?EIO=4&transport=polling`, { headers: { origin: base(s).slice(0, -1) } });
    expect(same.status).toBe(200);
  });

  it('makes a random six-digit code when none is given, and locks out guessing', async () => {
    const s = await start(new EchoTerminal());
    expect(s.pairingCode).toMatch(/^\d{6}$/);
    const url = base(s);
    const wrong = s.pairingCode === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) expect((await refused(connect(url, { pairingCode: wrong }))).data?.code).toBe('pairing-wrong');
    expect((await refused(connect(url, { pairingCode: wrong }))).data?.code).toBe('locked-out');
    expect((await refused(connect(url, { pairingCode: s.pairingCode ?? '' }))).data?.code).toBe('locked-out');
  });

  it('pairing codes cannot be guessed from many source addresses: they share one budget, and the code moves on', async () => {
    const replaced: string[] = [];
    const s = await startLaneServer({ terminal: new EchoTerminal(), staticDir, secret: SECRET, pairingCode: '000042', onPairingCode: (c) => replaced.push(c) });
    servers.push(s);
    // 40 source addresses, 3 guesses each (under the limit of one address), walking the codes from 000000 upwards
    const verdicts: Record<string, number> = {};
    let tried = 0;
    let next = 0;
    for (let a = 2; a < 42; a++) {
      for (let k = 0; k < 3; k++) {
        const guess = String(next++).padStart(6, '0');
        // a hit on a freshly drawn random code (one in a million) is luck, not what is tested here
        if (guess === s.pairingCode && guess !== '000042') continue;
        tried++;
        const code = (await refused(connect(base(s), { pairingCode: guess }, `127.0.0.${a}`))).data?.code ?? 'none';
        verdicts[code] = (verdicts[code] ?? 0) + 1;
      }
    }
    // no address was locked out (so the lane told them apart), none paired (000042 was long replaced when guessed)
    expect(verdicts).toEqual({ 'pairing-wrong': tried });
    expect(replaced).toHaveLength(Math.floor(tried / GLOBAL_BUDGET));
    expect(s.pairingCode).toBe(replaced.at(-1));
  });
});

describe('address checks', () => {
  it('knows loopback addresses', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.20')).toBe(false);
  });

  it('compares the Origin with the Host', () => {
    expect(isSameOrigin(undefined, '127.0.0.1:80')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:8080', '127.0.0.1:8080')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:8081', '127.0.0.1:8080')).toBe(false);
    expect(isSameOrigin('null', '127.0.0.1:8080')).toBe(false);
    expect(isSameOrigin('file://', '127.0.0.1:8080')).toBe(false);
  });
});
