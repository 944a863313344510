import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEvents, type TillEvents } from '../../src/shared/contract/events';
import type { CallContext } from '../../src/shared/contract/api';
import type { MethodName } from '../../src/shared/contract';
import type { Result } from '../../src/shared/result';
import { isLoopback, isSameOrigin, startLaneServer, type LaneServer } from '../../src/terminal/lane/server';
import { resolveStatic } from '../../src/terminal/lane/static';

/** a terminal that records each call and answers with what it received */
class EchoTerminal {
  readonly events: TillEvents = createEvents();
  readonly calls: { method: MethodName; input: unknown; ctx: CallContext }[] = [];
  dispatch(method: MethodName, input: unknown, ctx: CallContext): Result<unknown> {
    this.calls.push({ method, input, ctx });
    if (method === 'auth.whoami') throw new Error('handler blew up');
    return { ok: true, value: { method, input, ctx } };
  }
}

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

async function start(terminal: EchoTerminal, host?: string, pairingCode?: string): Promise<LaneServer> {
  const s = await startLaneServer({ terminal, staticDir, ...(host ? { host } : {}), ...(pairingCode ? { pairingCode } : {}) });
  servers.push(s);
  return s;
}

function connect(url: string, auth: Record<string, string> = {}): Socket {
  const s = io(url, { auth, transports: ['websocket'], reconnection: false });
  sockets.push(s);
  return s;
}

const connected = (s: Socket): Promise<void> =>
  new Promise((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });

const refused = (s: Socket): Promise<Error & { data?: { code?: string } }> =>
  new Promise((resolve, reject) => {
    s.once('connect', () => reject(new Error('connected without pairing')));
    s.once('connect_error', resolve);
  });

describe('lane server', () => {
  it('binds 127.0.0.1 by default and needs no pairing there', async () => {
    const s = await start(new EchoTerminal());
    expect(s.host).toBe('127.0.0.1');
    expect(s.pairingCode).toBeNull();
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/`);
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const s = await start(new EchoTerminal());
    const page = await fetch(s.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Till</title>');
    const js = await fetch(`${s.url}assets/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${s.url}missing.js`)).status).toBe(404);
    for (const sneaky of ['%2e%2e/lane-secret.txt', '..%2flane-secret.txt', '..%5clane-secret.txt']) {
      const r = await fetch(`${s.url}${sneaky}`);
      expect(r.status).not.toBe(200);
      expect(await r.text()).not.toContain('secret');
    }
    expect(resolveStatic('/srv/r', '/../etc/passwd')).toBeNull();
    expect(resolveStatic('/srv/r', '/..%2fetc/passwd')).toBeNull();
    expect(resolveStatic('/srv/r', '/a%00.js')).toBeNull();
    expect(resolveStatic('/srv/r', '/')).toBe(path.resolve('/srv/r/index.html'));
    expect(resolveStatic('/srv/r', '/assets/x.js')).toBe(path.resolve('/srv/r/assets/x.js'));
    expect((await fetch(s.url, { method: 'POST', body: 'x' })).status).toBe(405);
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

  it('turns a thrown handler into an internal error Result', async () => {
    const s = await start(new EchoTerminal());
    const c = connect(s.url);
    await connected(c);
    expect(await c.emitWithAck('till:call', { method: 'auth.whoami', input: {} })).toEqual({
      ok: false,
      error: { code: 'internal', message: 'the terminal failed: handler blew up' },
    });
  });

  it('pushes terminal events to every client', async () => {
    const t = new EchoTerminal();
    const s = await start(t);
    const a = connect(s.url);
    const b = connect(s.url);
    await Promise.all([connected(a), connected(b)]);
    const got = Promise.all([a, b].map((c) => new Promise((resolve) => c.once('till:event', resolve))));
    const payload = { state: 'offline' as const, queueDepth: 3, lastError: null };
    t.events.emit('sync.status', payload);
    expect(await got).toEqual([
      { name: 'sync.status', payload },
      { name: 'sync.status', payload },
    ]);
  });

  it('refuses a cross-origin browser handshake', async () => {
    const s = await start(new EchoTerminal());
    const res = await fetch(`${s.url}socket.io/?EIO=4&transport=polling`, { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    const same = await fetch(`${s.url}socket.io/?EIO=4&transport=polling`, { headers: { origin: s.url.slice(0, -1) } });
    expect(same.status).toBe(200);
  });

  it('on a LAN address, requires the pairing code before any call', async () => {
    const s = await start(new EchoTerminal(), '0.0.0.0', '123456');
    expect(s.pairingCode).toBe('123456');
    const url = `http://127.0.0.1:${s.port}/`;
    expect((await refused(connect(url))).data?.code).toBe('pairing-required');
    expect((await refused(connect(url, { pairingCode: '654321' }))).message).toBe('wrong pairing code');
    const ok = connect(url, { pairingCode: '123456' });
    await connected(ok);
    expect(await ok.emitWithAck('till:call', { method: 'system.status', input: {} })).toMatchObject({ ok: true });
  });

  it('makes a random six-digit code when none is given, and locks out guessing', async () => {
    const s = await start(new EchoTerminal(), '0.0.0.0');
    expect(s.pairingCode).toMatch(/^\d{6}$/);
    const url = `http://127.0.0.1:${s.port}/`;
    const wrong = s.pairingCode === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) expect((await refused(connect(url, { pairingCode: wrong }))).data?.code).toBe('pairing-required');
    expect((await refused(connect(url, { pairingCode: wrong }))).data?.code).toBe('locked-out');
    expect((await refused(connect(url, { pairingCode: s.pairingCode ?? '' }))).data?.code).toBe('locked-out');
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
