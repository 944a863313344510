/**
 * Health, the OpenAPI document, a terminal's enrollment, and the admin API of
 * the `till hub` CLI (admin token, or a signed-in hq-admin).
 *
 * Enrollment answers generic codes (unknown or used, expired, another
 * terminal's code) and logs the refusal with the source address and the
 * terminal it named, never the code.
 */
import { isTillError } from '../../../shared/errors';
import { hubApi, openApiDocument, type RouteDef, type RouteName } from '../../../shared/hub-api/index';
import { terminalIdOf, type CatalogChange } from '../../../shared/replication';
import { APP_VERSION } from '../../../shared/version';
import { checkCatalogChanges, priceChange } from '../../catalog';
import { redeemEnrollCode } from '../../enroll';
import type { ChangeBy } from '../../store/types';
import { sourceOf } from '../auth';
import { ApiError } from '../errors';
import type { RouteDeps } from './deps';

/** records catalog changes made through the admin API and tells terminals and consoles */
export async function changeCatalog(d: RouteDeps, changes: CatalogChange[], by: ChangeBy): Promise<number> {
  const version = await d.store.changeCatalog(checkCatalogChanges(changes, d.secrets.pinKey), by);
  d.events.catalogChanged(version);
  d.auth.log(`catalog version ${version} (${changes.length} change(s)) by ${by.actor}`);
  return version;
}

export function serveSystem(d: RouteDeps): void {
  const { http, store } = d;
  let doc: Record<string, unknown> | null = null;

  http.serve('system.health', async () => ({ ok: true as const, store: store.kind }));

  http.serve('system.openapi', async () => {
    doc ??= openApiDocument(Object.fromEntries(http.served().map((n: RouteName) => [n, hubApi[n] as RouteDef])), { title: 'Till hub', version: APP_VERSION });
    return doc;
  });

  http.serve('terminal.enroll', async ({ body, req, by }) => {
    const who = terminalIdOf(body.store, body.terminal);
    try {
      const out = await redeemEnrollCode(store, body, d.secrets, d.auth.now());
      await store.transaction((tx) => tx.audit({ ...by, actor: `terminal:${who}`, actorRole: null, action: 'terminal.enroll', target: `terminal:${who}`, store: body.store, before: null, after: { terminalId: out.terminalId } }));
      d.auth.log(`enrolled ${out.terminalId} from ${sourceOf(req)}`);
      d.events.fleetChanged({ store: body.store, terminalId: out.terminalId, reason: 'enrolled' });
      return out;
    } catch (e) {
      if (!isTillError(e)) throw e;
      const reason = e.details?.reason;
      d.auth.log(`auth failed: enroll for ${who} from ${sourceOf(req)} (${String(reason ?? e.code)})`);
      if (reason === 'expired') throw new ApiError('enroll-code-expired', e.message);
      if (reason === 'other-terminal') throw new ApiError('forbidden', e.message, { message: e.message });
      if (reason === 'unknown') throw new ApiError('enroll-code-invalid', e.message);
      throw e;
    }
  });

  http.serve('admin.status', async () => ({ terminals: await store.terminals(), alerts: await store.alerts() }));

  http.serve('admin.catalog', async ({ body, by }) => ({ version: await changeCatalog(d, body.changes, by) }));

  http.serve('admin.price', async ({ body, by }) => ({ version: await changeCatalog(d, [await priceChange(store, body.barcode, body.price)], by) }));
}
