/**
 * Log redaction, proved on every logger the processes make: the CLI's own
 * record, `till terminal`, `till hub`, the Electron main process (the same
 * pino set-up behind openAppLog), each to its rotating file and to a pretty
 * console; plus the recent errors a terminal sends to the hub. A PIN, a
 * token, a payment code, a key and a password go in as fields (at several
 * depths) and inside sentences; none may come out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';
import { openProcessLog } from '../../src/cli/logging';
import { openAppLog } from '../../src/main/app-logging';
import { RecentErrors, recordingErrors, nullLogger, REDACTED, scrubText, type Logger } from '../../src/shared/logger';
import { createPinoLogger, LOG_DIR, type PinoLogger } from '../../src/terminal/index';

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-logging-'));
  made.push(d);
  return d;
};

const SECRETS = {
  pin: '482915',
  token: 'tok_9f8e7d6c5b4a39281706f5e4',
  paymentCode: '134567890123456789',
  key: '-----BEGIN PRIVATE KEY-----MIIEvQIBADANBg',
  password: 'correct-horse-battery',
  card: '6222021234567890123',
};

/** every way a secret reaches a logger: fields at three depths, sentences, an error */
function feed(logger: Logger): void {
  logger.info('user signed in', { pin: SECRETS.pin, session: { token: SECRETS.token } });
  logger.warn(`payment failed for paymentCode=${SECRETS.paymentCode}`, { tender: { detail: { paymentCode: SECRETS.paymentCode } } });
  logger.error('hub call failed', { err: new Error(`POST /api/x with Authorization: Bearer ${SECRETS.token} refused`), headers: { authorization: `Bearer ${SECRETS.token}` } });
  logger.child({ component: 'payments' }).error(`signing failed with privateKey=${SECRETS.key} and password: ${SECRETS.password}`, { apiKey: SECRETS.key, password: SECRETS.password });
  logger.info(`customer card ${SECRETS.card} refused, scanned code ${SECRETS.paymentCode}`);
  logger.debug('pin entry', { pin: SECRETS.pin });
}

function assertClean(text: string, where: string): void {
  for (const [what, secret] of Object.entries(SECRETS)) {
    expect(text.includes(secret), `${what} leaked into ${where}`).toBe(false);
  }
  expect(text, where).toContain(REDACTED);
}

function logFiles(dir: string): string {
  const logs = path.join(dir, LOG_DIR);
  return fs.readdirSync(logs).map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
}

function consoleSink(tty: boolean): PassThrough & { isTTY?: boolean; text(): string } {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; text(): string };
  let out = '';
  s.on('data', (b: Buffer) => (out += b.toString()));
  s.isTTY = tty;
  s.text = () => out;
  return s;
}

async function through(open: (dir: string, sink: ReturnType<typeof consoleSink>) => Promise<PinoLogger>): Promise<{ file: string; console: string; records: Array<Record<string, unknown>> }> {
  const dir = tmp();
  const sink = consoleSink(true);
  const log = await open(dir, sink);
  feed(log.logger);
  await log.close();
  const file = logFiles(dir);
  return { file, console: sink.text(), records: file.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('every logger redacts secrets', () => {
  it.each([
    ['the terminal runtime (till terminal)', 'terminal'],
    ['the hub (till hub)', 'hub'],
    ['the CLI', 'cli'],
  ] as const)('%s: JSON file and pretty console', async (_what, name) => {
    const r = await through((dir, sink) => createPinoLogger({ name, dir, console: 'pretty', consoleStream: sink, level: 'debug' }));
    assertClean(r.file, `${name} file`);
    assertClean(r.console, `${name} console`);
    expect(r.records.map((x) => x.msg)).toContain('user signed in');
    expect(r.records.find((x) => x.msg === 'user signed in')).toMatchObject({ name, pin: REDACTED, session: { token: REDACTED } });
  });

  it('the Electron main process (openAppLog): file, and pretty stdout when started from a terminal', async () => {
    const r = await through((dir, sink) => openAppLog(dir, sink));
    assertClean(r.file, 'app file');
    assertClean(r.console, 'app console');
    expect(r.records[0]).toMatchObject({ name: 'app' });
    // the default level is info: the debug record with the PIN is not written at all
    expect(r.records.some((x) => x.msg === 'pin entry')).toBe(false);
  });

  it('the processes the CLI opens (openProcessLog) write to DIR/logs with mode 0600', async () => {
    const dir = tmp();
    const log = await openProcessLog({ name: 'hub', dir, longRunning: false });
    feed(log.logger);
    await log.close();
    assertClean(logFiles(dir), 'hub process file');
    const file = fs.readdirSync(path.join(dir, LOG_DIR))[0] as string;
    expect(file).toMatch(/^hub\.\d+\.log$/);
    expect(fs.statSync(path.join(dir, LOG_DIR, file)).mode & 0o777).toBe(0o600);
  });

  it('a data directory that cannot take a log folder still gets its command run (console only)', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, LOG_DIR), 'a file where the folder would go');
    const log = await openProcessLog({ name: 'cli', dir, longRunning: false });
    log.logger.info('still works');
    await log.close();
    expect(log.file).toBeNull();
  });

  it("the CLI's record of a command masks secret arguments", async () => {
    const dir = tmp();
    const opened: PinoLogger[] = [];
    const io: CliIO = {
      out: () => undefined,
      err: () => undefined,
      untilSignal: () => Promise.resolve(),
      openLog: async (r) => {
        const l = await createPinoLogger({ name: r.name, dir: r.dir, console: 'none' });
        opened.push(l);
        return l;
      },
    };
    const code = await main(['init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample', '--admin-code', '9100', `--admin-pin=${SECRETS.pin}`], io);
    expect(code).toBe(0);
    await main(['users', 'add', '--data', dir, '--code', '1200', '--name', 'Wang', '--role', 'cashier', '--pin', SECRETS.pin], io);
    const text = logFiles(dir);
    expect(text).toContain('"command":"users"');
    expect(text.includes(SECRETS.pin)).toBe(false);
    expect(text).toContain(`"--admin-pin=${REDACTED}"`);
    expect(opened).toHaveLength(2);
  });
});

describe('what is not a secret stays readable', () => {
  it('order numbers, app ids, receipt numbers and hashes are left as they are', () => {
    const text = 'order 20261130123456, alipay app 2021000122671080, receipt S001-T01-00000042, hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(scrubText(text)).toBe(text);
  });
});

describe('the recent errors a terminal reports to the hub', () => {
  it('keeps the last warnings and errors, scrubbed and cut, oldest first', () => {
    const recent = new RecentErrors(3, () => new Date('2026-03-01T08:00:00.000Z'));
    const logger = recordingErrors(nullLogger, recent);
    feed(logger);
    logger.child({ component: 'sync' }).warn('x'.repeat(400));
    const list = recent.list();
    expect(list).toHaveLength(3);
    expect(list.map((e) => e.level)).toEqual(['error', 'error', 'warn']);
    expect(list[2]?.msg).toHaveLength(300);
    const text = JSON.stringify(list);
    for (const secret of Object.values(SECRETS)) expect(text.includes(secret)).toBe(false);
    expect(text).toContain(REDACTED);
  });
});
