/**
 * `till hub`: runs a hub node, and its IT sub-commands (enrollment codes,
 * revocation, fleet status, price and catalog changes). Catalog changes go
 * through the running hub's admin API when one runs for this data directory,
 * so connected terminals hear of them at once; otherwise they are written to
 * the store and terminals pick them up when they next connect.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { catalogKey, checkCatalogChanges, priceChange } from '../../hub/catalog';
import { generateEnrollCode } from '../../hub/enroll';
import { addUser, normalizeUserName, requireUser, setPassword, updateUser, userView } from '../../hub/people';
import { loadHubSecrets } from '../../hub/secrets';
import { adminToken, clearRuntime, databaseUrlFrom, metricsToken, openHubNode, openHubStore, readRuntime, writeRuntime } from '../../hub/runtime';
import { startHub, type HubOptions } from '../../hub/server';
import type { ChangeBy, HubStore, TerminalRow } from '../../hub/store/types';
import { HUB_ROLES, hubRoleSchema, newUserSchema, passwordSchema, userNameSchema } from '../../shared/hub-api/index';
import { TillError } from '../../shared/errors';
import { makePrivateDir } from '../../ledger/index';
import { CATALOG_KINDS, codeSchema, terminalIdOf, type CatalogChange, type CatalogKind } from '../../shared/replication';
import { postJson } from '../../sync/credentials';
import type { Logger } from '../../shared/logger';
import { EXIT, UsageError, readSecret, type CliIO, type Command } from '../io';
import { importSales } from '../hub-import-sales';
import { openLog } from '../logging';

const USAGE = [
  'till hub --data DIR [--port P] [--host H] [--database postgres://...] [--cert FILE --key FILE] [--trust-proxy] [--metrics-host H --metrics-port P]',
  '       till hub enroll-code --data DIR --store S --terminal T [--ttl-hours H] [--database URL]',
  '       till hub revoke --data DIR --terminal T [--store S] [--database URL]',
  '       till hub status --data DIR [--json] [--database URL]',
  '       till hub price --data DIR --barcode B --price FEN [--database URL]',
  '       till hub catalog --data DIR --file CATALOG.json [--database URL]',
  '       till hub users add --data DIR --user NAME --role hq-admin|hq-analyst|store-manager [--stores S001,S002] [--display-name N] [--database URL]  (password on standard input)',
  '       till hub users list --data DIR [--json] [--database URL]',
  '       till hub users disable|enable --data DIR --user NAME [--database URL]',
  '       till hub users password --data DIR --user NAME [--database URL]  (password on standard input)',
  '       till hub import-sales FILE --data DIR [--database URL] [--encoding utf8|gbk] [--dry-run] [--json] [--source NAME] [--map field=header,...]',
].join('\n');

/** the CLI's entries in the audit log: the login of whoever ran it on the hub's host */
function cliBy(): ChangeBy {
  let login = 'unknown';
  try {
    login = os.userInfo().username;
  } catch {
    login = process.env.USER ?? 'unknown';
  }
  return { actor: `cli:${login}`, actorRole: null, source: null, at: new Date().toISOString() };
}

const common = { data: { type: 'string' }, database: { type: 'string' } } as const;

async function withStore<T>(dir: string, database: string | undefined, fn: (s: HubStore) => Promise<T>): Promise<T> {
  const store = await openHubStore(dir, databaseUrlFrom(database));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined || v === '') throw new UsageError(`${what} is required`);
  return v;
}

async function serve(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...common,
      port: { type: 'string' },
      host: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'trust-proxy': { type: 'boolean', default: false },
      'metrics-host': { type: 'string' },
      'metrics-port': { type: 'string' },
    },
  });
  const dir = need(values.data, '--data');
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together');
  const port = values.port === undefined ? 7300 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`bad --port ${values.port}`);
  if (values['metrics-host'] !== undefined && values['metrics-port'] === undefined) throw new UsageError('--metrics-host needs --metrics-port');
  const metricsPort = values['metrics-port'] === undefined ? undefined : Number(values['metrics-port']);
  if (metricsPort !== undefined && (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535)) throw new UsageError(`bad --metrics-port ${values['metrics-port']}`);
  // the data directory first, so the hub's log goes into it from the start
  makePrivateDir(dir);
  const metrics: HubOptions['metrics'] = metricsPort === undefined ? { token: metricsToken(dir, true) } : { port: metricsPort, host: values['metrics-host'] ?? '127.0.0.1' };
  const log = await openLog(io, { name: 'hub', dir, longRunning: true });
  try {
    return await serveWith(dir, values, port, metrics, log.logger, io);
  } catch (e) {
    log.logger.error('the hub stopped', { err: e });
    throw e;
  } finally {
    await log.close();
  }
}

async function serveWith(
  dir: string,
  values: { database?: string; host?: string; cert?: string; key?: string; 'trust-proxy'?: boolean },
  port: number,
  metrics: HubOptions['metrics'],
  logger: Logger,
  io: CliIO,
): Promise<number> {
  const { store, adapter } = await openHubNode(dir, databaseUrlFrom(values.database));
  const cert = values.cert === undefined ? undefined : fs.readFileSync(values.cert, 'utf8');
  const key = values.key === undefined ? undefined : fs.readFileSync(values.key, 'utf8');
  const hub = await startHub({
    store,
    port,
    host: values.host ?? '127.0.0.1',
    adminToken: adminToken(dir, true) ?? undefined,
    secrets: loadHubSecrets(dir),
    ...(cert && key ? { tls: { cert, key } } : {}),
    ...(adapter ? { adapter } : {}),
    trustProxy: values['trust-proxy'],
    metrics,
    logger,
  });
  io.out(`hub listening on ${hub.url} (${store.kind} store)\n`);
  writeRuntime(dir, { url: hub.url, pid: process.pid, ...(cert ? { ca: cert } : {}) });
  if ((await store.hubUserCount()) === 0) io.out(`no console users yet: add the first with till hub users add --data ${dir} --user NAME --role hq-admin\n`);
  await io.untilSignal();
  clearRuntime(dir, process.pid);
  await hub.close();
  await store.close();
  io.out('hub stopped\n');
  return EXIT.ok;
}

async function enrollCode(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, store: { type: 'string' }, terminal: { type: 'string' }, 'ttl-hours': { type: 'string' } } });
  const dir = need(values.data, '--data');
  const store = codeSchema.safeParse(need(values.store, '--store'));
  const terminal = codeSchema.safeParse(need(values.terminal, '--terminal'));
  if (!store.success || !terminal.success) throw new UsageError('store and terminal codes are letters, digits, - or _');
  const ttlHours = values['ttl-hours'] === undefined ? 24 : Number(values['ttl-hours']);
  if (!(ttlHours > 0 && ttlHours <= 24 * 30)) throw new UsageError('--ttl-hours must be between 0 and 720');
  const by = cliBy();
  const out = await withStore(dir, values.database, async (s) => {
    const { code, codeHash } = generateEnrollCode();
    const expiresAt = new Date(Date.parse(by.at) + ttlHours * 3600_000).toISOString();
    await s.transaction(async (tx) => {
      await tx.insertEnrollCode(codeHash, { store: store.data, terminal: terminal.data, createdAt: by.at, expiresAt, issuedBy: by.actor });
      await tx.audit({ ...by, action: 'enroll-code.issue', target: `terminal:${terminalIdOf(store.data, terminal.data)}`, store: store.data, before: null, after: { expiresAt } });
    });
    return { code, expiresAt };
  });
  io.out(`${out.code}\n`);
  io.err(`one-time enrollment code for ${terminalIdOf(store.data, terminal.data)}, valid until ${out.expiresAt}\n`);
  return EXIT.ok;
}

async function revoke(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, store: { type: 'string' }, terminal: { type: 'string' } } });
  const dir = need(values.data, '--data');
  const terminal = need(values.terminal, '--terminal');
  return withStore(dir, values.database, async (s) => {
    const matches = (await s.terminals()).filter((t) => t.terminal === terminal && (values.store === undefined || t.store === values.store));
    if (matches.length === 0) throw new TillError('not-found', `no enrolled terminal ${values.store ? terminalIdOf(values.store, terminal) : terminal}`);
    if (matches.length > 1) throw new UsageError(`terminal ${terminal} exists in several stores (${matches.map((m) => m.store).join(', ')}): add --store`);
    const t = matches[0] as TerminalRow;
    const by = cliBy();
    const revoked = await s.transaction(async (tx) => {
      if (!(await tx.revokeTerminal(t.id, by.at))) return false;
      await tx.audit({ ...by, action: 'terminal.revoke', target: `terminal:${t.id}`, store: t.store, before: { revokedAt: null }, after: { revokedAt: by.at } });
      return true;
    });
    if (!revoked) {
      io.out(`${t.id} was already revoked\n`);
      return EXIT.ok;
    }
    io.out(`revoked ${t.id}: its token no longer works; enroll it again with a new code\n`);
    return EXIT.ok;
  });
}

async function status(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, json: { type: 'boolean', default: false } } });
  const dir = need(values.data, '--data');
  return withStore(dir, values.database, async (s) => {
    const terminals = await s.terminals();
    const alerts = await s.alerts();
    const rows = terminals.map((t) => ({
      terminalId: t.id,
      store: t.store,
      terminal: t.terminal,
      revoked: t.revokedAt !== null,
      hwm: t.hwm,
      lastSeen: t.lastSeen,
      queueDepth: t.status?.queueDepth ?? null,
      appVersion: t.status?.appVersion ?? null,
      devices: t.status?.devices ?? [],
      lastError: t.status?.lastError ?? null,
      recentErrors: t.status?.errors ?? [],
      backup: t.status?.backup ?? null,
      alerts: alerts.filter((a) => a.terminalId === t.id && a.state === 'open').map((a) => ({ at: a.at, code: a.code, message: a.message })),
    }));
    if (values.json) {
      io.out(JSON.stringify({ store: s.kind, catalogVersion: await s.catalogVersion(), terminals: rows }, null, 2) + '\n');
      return EXIT.ok;
    }
    io.out(`${s.kind} store, catalog version ${await s.catalogVersion()}, ${rows.length} terminal(s)\n`);
    for (const r of rows) {
      io.out(`${r.terminalId.padEnd(16)} seq ${String(r.hwm.seq).padStart(8)}  hash ${r.hwm.hash.slice(0, 16)}  last seen ${r.lastSeen ?? 'never'}  queue ${r.queueDepth ?? '-'}${r.revoked ? '  REVOKED' : ''}\n`);
      for (const d of r.devices.filter((x) => !x.ok)) io.out(`    device ${d.name}: ${d.detail ?? 'fault'}\n`);
      if (r.lastError) io.out(`    last error: ${r.lastError}\n`);
      for (const e of r.recentErrors.slice(-3)) io.out(`    ${e.level} ${e.at}: ${e.msg}\n`);
      if (r.backup) io.out(`    backup: ${r.backup.at ? `newest ${r.backup.at}` : 'none yet'}${r.backup.ok ? '' : ` FAILED: ${r.backup.message ?? ''}`}${r.backup.secondary !== 'off' ? `, second copy ${r.backup.secondary}` : ''}\n`);
      for (const a of r.alerts) io.out(`    ALERT ${a.at} ${a.code}: ${a.message}\n`);
    }
    return EXIT.ok;
  });
}

/** sends changes to the running hub (so terminals hear at once), else writes them to the store */
async function applyChanges(dir: string, database: string | undefined, io: CliIO, changes: (s: HubStore) => Promise<CatalogChange[]>): Promise<number> {
  const runtime = readRuntime(dir);
  const token = adminToken(dir, false);
  const given = await withStore(dir, database, changes);
  const list = checkCatalogChanges(given, null);
  if (runtime && token) {
    try {
      const res = await postJson(`${runtime.url}/api/catalog`, { changes: list }, { headers: { authorization: `Bearer ${token}` }, ...(runtime.ca ? { ca: runtime.ca } : {}) });
      if (res.status !== 200) throw new TillError('bad-input', (res.body as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`);
      io.out(`catalog version ${(res.body as { version: number }).version}: ${list.length} change(s), sent to connected terminals\n`);
      return EXIT.ok;
    } catch (e) {
      if (!(e instanceof TillError && e.code === 'offline')) throw e;
    }
  }
  const hashed = checkCatalogChanges(given, loadHubSecrets(dir).pinKey);
  const version = await withStore(dir, database, (s) => s.changeCatalog(hashed, cliBy()));
  io.out(`catalog version ${version}: ${list.length} change(s) stored; no hub is running, terminals get them when they connect\n`);
  return EXIT.ok;
}

async function price(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, barcode: { type: 'string' }, price: { type: 'string' } } });
  const dir = need(values.data, '--data');
  const barcode = need(values.barcode, '--barcode');
  const fen = Number(need(values.price, '--price'));
  if (!Number.isSafeInteger(fen) || fen < 0) throw new UsageError(`--price is a whole number of fen (got ${values.price})`);
  return applyChanges(dir, values.database, io, async (s) => [await priceChange(s, barcode, fen)]);
}

/** a catalog file: {products?, promotions?, members?, users?, settings?, payments?} */
async function catalog(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({ args, options: { ...common, file: { type: 'string' } } });
  const dir = need(values.data, '--data');
  const file = need(values.file, '--file');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const lists: Array<[string, CatalogKind]> = [['products', 'product'], ['promotions', 'promotion'], ['members', 'member'], ['users', 'user'], ['payments', 'payments']];
  const changes: CatalogChange[] = [];
  for (const [field, kind] of lists) {
    const arr = doc[field];
    if (arr === undefined) continue;
    if (!Array.isArray(arr)) throw new TillError('bad-input', `${file}: ${field} must be a list`);
    for (const d of arr as Array<Record<string, unknown>>) changes.push({ kind, key: catalogKey(kind, d), data: d });
  }
  if (doc.settings !== undefined && doc.settings !== null) changes.push({ kind: 'settings', key: 'store', data: doc.settings as Record<string, unknown> });
  if (changes.length === 0) throw new TillError('bad-input', `${file} holds none of ${CATALOG_KINDS.join(', ')}`);
  return applyChanges(dir, values.database, io, async () => changes);
}

async function users(args: string[], io: CliIO): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...common, user: { type: 'string' }, role: { type: 'string' }, stores: { type: 'string' }, 'display-name': { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length) throw new UsageError(`unexpected ${positionals.join(' ')}`);
  const dir = need(values.data, '--data');
  if (action === 'list') {
    return withStore(dir, values.database, async (s) => {
      const list = (await s.users()).map(userView);
      if (values.json) io.out(JSON.stringify(list, null, 2) + '\n');
      else if (list.length === 0) io.out('no hub users yet: add the first with till hub users add --role hq-admin\n');
      else for (const u of list) io.out(`${u.name.padEnd(20)} ${u.role.padEnd(14)} ${u.disabled ? 'disabled' : 'active  '} ${u.stores.join(',') || '(all stores)'}${u.displayName ? `  ${u.displayName}` : ''}\n`);
      return EXIT.ok;
    });
  }
  const name = userNameSchema.safeParse(need(values.user, '--user'));
  if (!name.success) throw new UsageError('--user is 2 to 64 letters, digits, . _ @ or -');
  if (action === 'add') {
    const role = hubRoleSchema.safeParse(need(values.role, '--role'));
    if (!role.success) throw new UsageError(`--role must be one of ${HUB_ROLES.join(', ')}`);
    const stores = values.stores === undefined ? [] : values.stores.split(',').map((x) => x.trim()).filter(Boolean);
    const password = await readSecret(io, 'password: ');
    const input = newUserSchema.safeParse({ name: name.data, displayName: values['display-name'] ?? null, role: role.data, stores, password });
    if (!input.success) {
      const issue = input.error.issues[0];
      throw new UsageError(issue?.path[0] === 'password' ? 'the password must be 10 to 200 characters' : issue?.path[0] === 'stores' ? 'a store manager needs --stores S001[,S002]; head-office roles take none' : `bad ${String(issue?.path.join('.'))}`);
    }
    const u = await withStore(dir, values.database, (s) => addUser(s, input.data, cliBy()));
    io.out(`added hub user ${u.name} (${u.role}${u.stores.length ? `: ${u.stores.join(', ')}` : ''})\n`);
    return EXIT.ok;
  }
  if (action === 'disable' || action === 'enable') {
    const u = await withStore(dir, values.database, async (s) => {
      await requireUser(s, name.data);
      return (await updateUser(s, name.data, { disabled: action === 'disable' }, cliBy())).user;
    });
    io.out(action === 'disable' ? `disabled hub user ${u.name}: signed out everywhere, cannot sign in\n` : `enabled hub user ${u.name}\n`);
    return EXIT.ok;
  }
  if (action === 'password') {
    const password = await readSecret(io, 'new password: ');
    if (!passwordSchema.safeParse(password).success) throw new UsageError('the password must be 10 to 200 characters');
    await withStore(dir, values.database, async (s) => {
      await requireUser(s, name.data);
      await setPassword(s, name.data, password, cliBy());
    });
    io.out(`set the password of hub user ${normalizeUserName(name.data)}; its sessions ended\n`);
    return EXIT.ok;
  }
  throw new UsageError('say till hub users add, list, disable, enable or password');
}

const SUB: Record<string, (args: string[], io: CliIO) => Promise<number>> = { 'enroll-code': enrollCode, revoke, status, price, catalog, users, 'import-sales': importSales };

const command: Command = {
  summary: 'run the hub, or manage it: enroll-code, revoke, status, price, catalog, users, import-sales',
  usage: USAGE,
  async run(args, io) {
    const [first, ...rest] = args;
    const sub = first === undefined ? undefined : SUB[first];
    return sub ? sub(rest, io) : serve(args, io);
  },
};
export default command;
