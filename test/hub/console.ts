/**
 * A hub with console users for the console API tests, on SQLite or
 * PostgreSQL: users of each role (passwords hashed for real), two stores
 * with an enrolled terminal each, the hub's log lines, and a small client
 * that keeps the session cookie and the CSRF token as a browser page would.
 */
import { issueEnrollCode } from '../../src/hub/enroll';
import { addUser } from '../../src/hub/people';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { HubRole } from '../../src/shared/hub-api/index';
import { storeKit, type StoreKit } from './fixtures';

export const PASSWORD = 'correct horse battery';
export const ADMIN_TOKEN = 'admin-token-for-console-tests-0123456789';

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
}

export class ConsoleClient {
  cookie: string | null = null;
  csrf = '';
  constructor(
    readonly base: string,
    readonly headers: Record<string, string> = {},
  ) {}

  async login(user: string, password = PASSWORD): Promise<Answer> {
    const r = await this.call('POST', '/api/login', { user, password });
    if (r.status === 200) {
      const set = r.headers.getSetCookie().find((c) => c.startsWith('till-session='));
      this.cookie = set ? (set.split(';')[0] as string) : null;
      this.csrf = (r.body as { csrfToken: string }).csrfToken;
    }
    return r;
  }

  async call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...this.headers, ...extra };
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in extra)) headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

export const errorCode = (a: Answer): string | undefined => (a.body as { error?: { code?: string } }).error?.code;

export interface ConsoleHub {
  kit: StoreKit;
  store: HubStore;
  hub: RunningHub;
  logs: string[];
  /** the terminals enrolled at start: S1/T1 and S2/T1 with their tokens */
  tokens: Record<string, string>;
  client(headers?: Record<string, string>): ConsoleClient;
  /** enrolls (store, terminal) and answers its token */
  enroll(store: string, terminal: string): Promise<string>;
  /** a client signed in as `user` */
  as(user: string): Promise<ConsoleClient>;
  close(): Promise<void>;
}

export const USERS: Array<{ name: string; role: HubRole; stores: string[] }> = [
  { name: 'boss', role: 'hq-admin', stores: [] },
  { name: 'second-admin', role: 'hq-admin', stores: [] },
  { name: 'analyst', role: 'hq-analyst', stores: [] },
  { name: 'mgr1', role: 'store-manager', stores: ['S1'] },
  { name: 'mgr2', role: 'store-manager', stores: ['S2'] },
];

export async function startConsoleHub(kind: 'sqlite' | 'postgres', o: Partial<HubOptions> = {}): Promise<ConsoleHub> {
  const kit = storeKit(kind);
  const store = await kit.open();
  const logs: string[] = [];
  const by = { actor: 'test', actorRole: null, source: null, at: new Date().toISOString() };
  await Promise.all(USERS.map((u) => addUser(store, { name: u.name, displayName: null, role: u.role, stores: u.stores, password: PASSWORD }, by)));
  const hub = await startHub({ store, adminToken: ADMIN_TOKEN, webRoot: null, rateLimits: { perMinute: 100_000, loginPerMinute: 10_000, enrollPerMinute: 10_000 }, log: (l) => logs.push(l), ...o });
  const enroll = async (s: string, terminal: string) => {
    const { code } = await issueEnrollCode(store, { store: s, terminal });
    const res = await fetch(`${hub.url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, store: s, terminal }) });
    return ((await res.json()) as { token: string }).token;
  };
  const tokens: Record<string, string> = {};
  for (const s of ['S1', 'S2']) tokens[`${s}/T1`] = await enroll(s, 'T1');
  const client = (headers: Record<string, string> = {}) => new ConsoleClient(hub.url, headers);
  return {
    kit,
    store,
    hub,
    logs,
    tokens,
    client,
    enroll,
    as: async (user) => {
      const c = client();
      const r = await c.login(user);
      if (r.status !== 200) throw new Error(`login of ${user}: ${r.status} ${JSON.stringify(r.body)}`);
      return c;
    },
    close: async () => {
      await hub.close();
      await store.close();
      await kit.cleanup();
    },
  };
}
