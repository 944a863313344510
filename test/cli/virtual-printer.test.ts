import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeReceipt } from '../../drivers/escpos/encoder';
import { main } from '../../src/cli/main';
import { captureIO } from './devices-helpers';
import { spawnTill } from '../support/till';
import { waitFor } from '../support/wait';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-vp-cli-'));
  dirs.push(d);
  return d;
};

function send(port: number, bytes: Buffer, answers = 0): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const got: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes, () => (answers ? undefined : s.end())));
    s.on('data', (d) => {
      got.push(d);
      if (Buffer.concat(got).length >= answers) s.end();
    });
    s.on('close', () => resolve(Buffer.concat(got)));
    s.on('error', reject);
  });
}

describe('till virtual-printer', () => {
  it('writes each job as text and PNG, answers DLE EOT, and acts out paper-out through its control port', async () => {
    const out = tmp();
    const cap = captureIO();
    const run = main(['virtual-printer', '--port', '0', '--out', out, '--control', '0', '--idle', '200'], cap.io);
    const port = Number((await waitFor('listening', () => /listening on 127\.0\.0\.1:(\d+)/.exec(cap.out())))[1]);
    const control = Number((await waitFor('control', () => /control: curl http:\/\/127\.0\.0\.1:(\d+)\//.exec(cap.out())))[1]);

    const doc = { receiptNo: 'C-1', kind: 'sale' as const, openDrawer: false, blocks: [{ kind: 'text' as const, text: '命令行测试 CLI' }] };
    await send(port, encodeReceipt(doc, { width: 80 }));
    await waitFor('job 1', () => cap.out().includes('job 1:'));
    expect(fs.readFileSync(path.join(out, '1.txt'), 'utf8')).toContain('命令行测试 CLI');
    expect(fs.existsSync(path.join(out, '1.png'))).toBe(true);

    expect([...(await send(port, Buffer.from([0x10, 0x04, 0x04]), 1))]).toEqual([0x12]);
    const res = await fetch(`http://127.0.0.1:${control}/paper-out`, { method: 'POST' });
    expect(await res.json()).toMatchObject({ ok: true, condition: { paperOut: true } });
    expect([...(await send(port, Buffer.from([0x10, 0x04, 0x04]), 1))]).toEqual([0x7e]);
    expect(cap.out()).toContain('condition: paper out');
    const bad = await fetch(`http://127.0.0.1:${control}/explode`);
    expect(bad.status).toBe(404);
    expect(((await (await fetch(`http://127.0.0.1:${control}/`)).json()) as { jobs: number }).jobs).toBe(1);

    cap.stop();
    expect(await run).toBe(0);
    expect(cap.out()).toContain('virtual printer stopped');
  });

  it('refuses bad usage with exit code 2', async () => {
    const cap = captureIO();
    expect(await main(['virtual-printer', '--port', '9100'], cap.io)).toBe(2);
    expect(cap.err()).toContain('--out DIR is required');
    expect(await main(['virtual-printer', '--out', tmp(), '--width', '76'], cap.io)).toBe(2);
  });

  it('runs as a real process and stops cleanly on SIGTERM', async () => {
    const out = tmp();
    const p = spawnTill(['virtual-printer', '--port', '0', '--out', out, '--control', 'off']);
    const port = Number((await waitFor('listening', () => /listening on 127\.0\.0\.1:(\d+)/.exec(p.out()), 20_000))[1]);
    await send(port, Buffer.concat([Buffer.from('hello from a process\n'), Buffer.from([0x1d, 0x56, 0x00])]));
    await waitFor('job', () => fs.existsSync(path.join(out, '1.txt')));
    p.child.kill('SIGTERM');
    expect(await p.done).toBe(0);
    expect(fs.readFileSync(path.join(out, '1.txt'), 'utf8')).toBe('hello from a process\n[CUT]\n');
  });
});
