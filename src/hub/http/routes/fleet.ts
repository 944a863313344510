/** The fleet (terminals, alerts, enrollment codes, revocation, settings) and the audit log. */
import type { StoreView } from '../../../shared/hub-api/index';
import type { StoreSettings } from '../../../shared/contract/catalog';
import { terminalIdOf } from '../../../shared/replication';
import { generateEnrollCode } from '../../enroll';
import { FLEET_SETTINGS_KEY, fleetSettings, terminalView } from '../../fleet';
import type { StoreAccess } from '../app';
import { ApiError } from '../errors';
import type { RouteDeps } from './deps';

/** the stores a list shows: the one asked for, or every store the caller may see (undefined: all) */
function storesOf(access: StoreAccess, asked: string | undefined): readonly string[] | undefined {
  if (asked !== undefined) return [asked];
  return access.all ? undefined : access.stores;
}

const CHINA_UTC_OFFSET = 480;

export function serveFleet(d: RouteDeps): void {
  const { http, store } = d;
  const now = () => d.auth.now();

  http.serve('fleet.stores', async ({ query, access }) => {
    const rows = await store.fleet(storesOf(access, query.store));
    const settings = (await store.catalogItem('settings', 'store'))?.data as StoreSettings | null | undefined;
    const fleet = await fleetSettings(store);
    const byStore = new Map<string, StoreView>();
    for (const r of rows) {
      const v = byStore.get(r.store) ?? { store: r.store, terminals: 0, online: 0, utcOffsetMinutes: settings?.utcOffsetMinutes ?? CHINA_UTC_OFFSET };
      v.terminals += 1;
      if (terminalView(r, now(), fleet, d.staleAfterMs).online) v.online += 1;
      byStore.set(r.store, v);
    }
    return { stores: [...byStore.values()] };
  });

  http.serve('fleet.terminals', async ({ query, access }) => {
    const settings = await fleetSettings(store);
    const at = now();
    const rows = await store.fleet(storesOf(access, query.store));
    return { asOf: at.toISOString(), missingAfterMinutes: settings.missingAfterMinutes, terminals: rows.map((r) => terminalView(r, at, settings, d.staleAfterMs)) };
  });

  http.serve('fleet.terminal', async ({ params }) => {
    const id = terminalIdOf(params.store, params.terminal);
    const row = (await store.fleet([params.store])).find((r) => r.id === id);
    if (!row) throw new ApiError('not-found', `no terminal ${id}`);
    const at = now();
    const alerts = await store.alertPage({ terminalId: id, limit: 100 });
    return { asOf: at.toISOString(), terminal: terminalView(row, at, await fleetSettings(store), d.staleAfterMs), alerts };
  });

  http.serve('fleet.revoke', async ({ params, by }) => {
    const id = terminalIdOf(params.store, params.terminal);
    const revoked = await store.transaction(async (tx) => {
      const t = await tx.terminalForUpdate(id);
      if (!t) throw new ApiError('not-found', `no terminal ${id}`);
      if (!(await tx.revokeTerminal(id, by.at))) return false;
      await tx.audit({ ...by, action: 'terminal.revoke', target: `terminal:${id}`, store: params.store, before: { revokedAt: null }, after: { revokedAt: by.at } });
      return true;
    });
    if (revoked) {
      d.auth.log(`revoked ${id} by ${by.actor}`);
      d.events.terminalRevoked(id);
      d.events.fleetChanged({ store: params.store, terminalId: id, reason: 'revoked' });
    }
    const row = (await store.fleet([params.store])).find((r) => r.id === id);
    if (!row) throw new ApiError('not-found', `no terminal ${id}`);
    return { terminal: terminalView(row, now(), await fleetSettings(store), d.staleAfterMs) };
  });

  http.serve('fleet.alerts', async ({ query, access }) => {
    const alerts = await store.alertPage({ stores: storesOf(access, query.store), terminal: query.terminal, state: query.state, limit: query.limit, before: query.before });
    return { alerts, next: alerts.length === query.limit ? (alerts.at(-1)?.id ?? null) : null };
  });

  http.serve('fleet.enrollCodes', async ({ query, access }) => ({ codes: await store.enrollCodes(now().toISOString(), storesOf(access, query.store)) }));

  http.serve('fleet.issueEnrollCode', async ({ body, by }) => {
    const { code, codeHash } = generateEnrollCode();
    const expiresAt = new Date(Date.parse(by.at) + body.ttlHours * 3600_000).toISOString();
    const id = terminalIdOf(body.store, body.terminal);
    await store.transaction(async (tx) => {
      await tx.insertEnrollCode(codeHash, { store: body.store, terminal: body.terminal, createdAt: by.at, expiresAt, issuedBy: by.actor });
      await tx.audit({ ...by, action: 'enroll-code.issue', target: `terminal:${id}`, store: body.store, before: null, after: { expiresAt } });
    });
    return { code, store: body.store, terminal: body.terminal, expiresAt };
  });

  http.serve('fleet.cancelEnrollCodes', async ({ params, by }) => {
    const id = terminalIdOf(params.store, params.terminal);
    const cancelled = await store.transaction(async (tx) => {
      const n = await tx.deleteEnrollCodes(params.store, params.terminal);
      if (n > 0) await tx.audit({ ...by, action: 'enroll-code.cancel', target: `terminal:${id}`, store: params.store, before: { codes: n }, after: { codes: 0 } });
      return n;
    });
    return { cancelled };
  });

  http.serve('fleet.settings', async () => fleetSettings(store));

  http.serve('fleet.updateSettings', async ({ body, by }) =>
    store.transaction(async (tx) => {
      const before = await tx.settingForUpdate(FLEET_SETTINGS_KEY);
      await tx.setSetting(FLEET_SETTINGS_KEY, body);
      await tx.audit({ ...by, action: 'settings.update', target: `settings:${FLEET_SETTINGS_KEY}`, store: null, before, after: body });
      return body;
    }),
  );

  http.serve('audit.list', async ({ query }) => {
    const entries = await store.auditLog(query);
    return { entries, next: entries.length === query.limit ? (entries.at(-1)?.id ?? null) : null };
  });
}
