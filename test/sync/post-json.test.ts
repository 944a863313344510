import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson } from '../../src/sync/credentials';

describe('postJson', () => {
  let server: http.Server | null = null;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = null;
  });

  it('opens a fresh connection for every call, so a pooled socket closed by the server can never reset a call', async () => {
    const ports: number[] = [];
    server = http.createServer((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      req.resume();
      req.on('end', () => res.end('{"ok":true}'));
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
    for (let i = 0; i < 3; i++) expect(await postJson(url, { i })).toEqual({ status: 200, body: { ok: true } });
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
  });
});
