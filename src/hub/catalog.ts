/**
 * The hub's catalog: rows of (kind, key, data) with a version per change set.
 * Data is checked with the selling side's schemas before it is stored; a
 * terminal at version v receives every row changed after v as one
 * CatalogDelta (products upserted whole, removed products deactivated,
 * removed promotions listed), which it applies in one transaction. Every
 * delta goes out signed with the hub's key (secrets.ts), which terminals
 * pinned at enrollment.
 *
 * A store's payment codes (kind 'payments', keyed by store code or '*') carry
 * only the mode, the providers and their merchant and app ids: the schema has
 * no field for a key, so a secret given here is refused, never stored.
 *
 * Users are given with their PIN (`pin`), which the hub turns into a
 * credential under the chain's PIN key (src/core/pin-credential.ts) before it
 * is stored: the database holds no PIN and no hash that can be searched
 * without that key. A ready credential (`pinHash`) is taken only when it was
 * made with this chain's key.
 */
import { TillError } from '../shared/errors';
import {
  catalogDeltaSchema,
  catalogUserSchema,
  memberSchema,
  productSchema,
  promotionSchema,
  storeSettingsSchema,
  storePaymentsSchema,
  type CatalogDelta,
  type Product,
} from '../shared/contract/catalog';
import { pinSchema } from '../shared/contract/auth';
import type { CatalogChange, CatalogKind } from '../shared/replication';
import { credentialKeyId, hashPinWith, type PinKey } from '../core/pin-credential';
import { nodePinCrypto, signDelta, type HubSecrets } from './secrets';
import type { CatalogChanges, HubStore } from './store/types';

const SCHEMAS = { product: productSchema, promotion: promotionSchema, member: memberSchema, user: catalogUserSchema, settings: storeSettingsSchema, payments: storePaymentsSchema } as const;

/** the key a row of each kind is stored under */
export function catalogKey(kind: CatalogKind, data: Record<string, unknown>): string {
  switch (kind) {
    case 'product': return String(data.sku);
    case 'promotion': return String(data.id);
    case 'member':
    case 'user': return String(data.code);
    case 'settings': return 'store';
    case 'payments': return String(data.store);
  }
}

/**
 * A user change as IT staff give it: its `pin` becomes a credential under the
 * chain's PIN key (with no key, for a check before the change is sent to the
 * running hub, the PIN is left for the hub to hash).
 */
function userCredential(data: Record<string, unknown>, i: number, pinKey: PinKey | null): Record<string, unknown> {
  const { pin, ...rest } = data;
  if (pin !== undefined) {
    if (!pinSchema.safeParse(pin).success) throw new TillError('bad-input', `change ${i + 1} (user ${String(data.code)}): the PIN is 4 to 8 digits`);
    return pinKey ? { ...rest, pinHash: hashPinWith(nodePinCrypto, pinKey, pin as string) } : { ...rest, pinHash: 'pin1$pending$given-to-the-hub' };
  }
  const given = typeof data.pinHash === 'string' ? credentialKeyId(data.pinHash) : null;
  if (pinKey && given !== pinKey.id) throw new TillError('bad-input', `change ${i + 1} (user ${String(data.code)}): give the user's PIN as "pin"; the hub stores it only under the chain's PIN key`);
  return rest;
}

/** checks every change's data against its kind's schema and its key; throws 'bad-input' naming the first bad row */
export function checkCatalogChanges(changes: CatalogChange[], pinKey: PinKey | null): CatalogChange[] {
  return changes.map((c, i) => {
    if (c.data === null) return c;
    const raw = c.kind === 'user' ? userCredential(c.data, i, pinKey) : c.data;
    const parsed = SCHEMAS[c.kind].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TillError('bad-input', `change ${i + 1} (${c.kind} ${c.key}): ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    const data = parsed.data as Record<string, unknown>;
    if (catalogKey(c.kind, data) !== c.key) throw new TillError('bad-input', `change ${i + 1}: key '${c.key}' does not match the ${c.kind}'s own key '${catalogKey(c.kind, data)}'`);
    return { kind: c.kind, key: c.key, data: c.kind === 'user' && !pinKey ? c.data : data };
  });
}

export function toCatalogDelta(rows: CatalogChanges): CatalogDelta {
  const delta: CatalogDelta = { fromVersion: rows.fromVersion, version: rows.toVersion, products: [], deactivate: [], promotions: [], removePromotions: [], members: [], users: [], settings: null, payments: [] };
  for (const c of rows.changes) {
    switch (c.kind) {
      case 'product':
        if (c.data) delta.products.push(productSchema.parse(c.data));
        else delta.deactivate.push(c.key);
        break;
      case 'promotion':
        if (c.data) delta.promotions.push(promotionSchema.parse(c.data));
        else delta.removePromotions.push(c.key);
        break;
      case 'member':
        if (c.data) delta.members.push(memberSchema.parse(c.data));
        break;
      case 'user':
        if (c.data) delta.users.push(catalogUserSchema.parse(c.data));
        break;
      case 'settings':
        if (c.data) delta.settings = storeSettingsSchema.parse(c.data);
        break;
      case 'payments':
        // a store's payments are switched off with mode 'none', never removed
        if (c.data) delta.payments.push(storePaymentsSchema.parse(c.data));
        break;
    }
  }
  return catalogDeltaSchema.parse(delta);
}

export async function catalogDeltaSince(store: HubStore, since: number): Promise<CatalogDelta> {
  return toCatalogDelta(await store.catalogDelta(since));
}

/** the delta since `since` with the hub's signature, as a catalog:pull answers it */
export async function signedCatalogDeltaSince(store: HubStore, since: number, secrets: HubSecrets): Promise<{ delta: CatalogDelta; signature: string }> {
  const delta = await catalogDeltaSince(store, since);
  return { delta, signature: signDelta(secrets, delta) };
}

/** the change that sets the price of the product carrying `barcode` (or with that SKU) */
export async function priceChange(store: HubStore, barcodeOrSku: string, price: number): Promise<CatalogChange> {
  if (!Number.isSafeInteger(price) || price < 0) throw new TillError('bad-input', `a price is a whole number of fen (got ${price})`);
  const products = (await store.catalogItems('product')).map((c) => c.data as Product);
  const p = products.find((x) => x.barcodes.includes(barcodeOrSku)) ?? products.find((x) => x.sku === barcodeOrSku);
  if (!p) throw new TillError('not-found', `the hub's catalog has no product with barcode or SKU ${barcodeOrSku}`);
  return { kind: 'product', key: p.sku, data: { ...p, price } };
}
