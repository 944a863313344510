/**
 * The catalog on the terminal: products, barcodes, promotions, members, users
 * and store settings live in projection tables changed only by journal
 * entries (CatalogImported from a file import, CatalogApplied from the hub),
 * so they can be rebuilt from the journal alone. A change is applied in one
 * transaction; large ones are split into several entries of at most
 * CHUNK products inside that transaction (a journal payload stays < 1 MB).
 * Every change raises the catalog version, which readers use to drop their
 * caches (promotions, settings, the search index).
 */
import { catalogDeltaSchema, type CatalogDelta, type CatalogDeltaInput, type Member, type Product, type ProductView, type Promotion, type StoreSettings, promotionSchema, storeSettingsSchema, storePaymentsSchema, type CatalogUser, type StorePayments } from '../../shared/contract/catalog';
import { TillError } from '../../shared/errors';
import type { CatalogChange, JournalEventType } from '../../shared/journal-events';
import { classifyCode, stripPlu } from '../../core/barcode';
import { SearchIndex, searchKeys } from '../../core/search';
import { DEFAULT_SETTINGS } from '../../core/settings';
import type { Ledger, ReadableDb, WritableDb } from '../../ledger/index';

export const CATALOG_IMPORTED = 'CatalogImported' satisfies JournalEventType;
export const CATALOG_APPLIED = 'CatalogApplied' satisfies JournalEventType;
export const CHUNK = 2000;

export type { CatalogChange };

export interface CatalogApplyResult {
  version: number;
  products: number;
  deactivated: number;
  promotions: number;
  members: number;
  users: number;
  entries: number;
}

interface ProductRow {
  sku: string;
  name: string;
  plu: string | null;
  category: string;
  unit: string;
  price: number;
  member_price: number | null;
  vat_rate: number;
  weighed: number;
  active: number;
  initials: string;
  pinyin: string;
  barcodes: string | null;
}

function toView(r: ProductRow): ProductView {
  return {
    sku: r.sku,
    name: r.name,
    barcodes: r.barcodes ? r.barcodes.split(',') : [],
    plu: r.plu,
    category: r.category,
    unit: r.unit,
    price: r.price,
    memberPrice: r.member_price,
    vatRate: r.vat_rate as Product['vatRate'],
    weighed: r.weighed === 1,
    active: r.active === 1,
    initials: r.initials,
    pinyin: r.pinyin,
  };
}

const registered = new WeakSet<Ledger>();

/** the projector of both catalog entry types; idempotent per ledger */
export function registerCatalogProjectors(ledger: Ledger): void {
  if (registered.has(ledger)) return;
  registered.add(ledger);
  ledger.declareProjectionTables('products', 'barcodes', 'promotions', 'members', 'catalog_state', 'users', 'store_payments');
  const project = (db: WritableDb, _entry: unknown, change: CatalogChange) => projectCatalogChange(db, change);
  ledger.registerProjector(CATALOG_IMPORTED, project);
  ledger.registerProjector(CATALOG_APPLIED, project);
  ledger.registerProjector(USER_SAVED, (db, _e, user) => upsertUsers(db, [user]));
}

export const USER_SAVED = 'UserSaved' satisfies JournalEventType;

function upsertUsers(db: WritableDb, users: readonly CatalogUser[]): void {
  const st = db.prepare(
    'INSERT INTO users (code, name, role, pin_hash, active, must_change_pin) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash, active = excluded.active, must_change_pin = excluded.must_change_pin',
  );
  for (const u of users) st.run(u.code, u.name, u.role, u.pinHash, u.active ? 1 : 0, u.mustChangePin ? 1 : 0);
}

function projectCatalogChange(db: WritableDb, c: CatalogChange): void {
  const upsert = db.prepare(
    `INSERT INTO products (sku, name, plu, category, unit, price, member_price, vat_rate, weighed, active, initials, pinyin)
     VALUES (@sku, @name, @plu, @category, @unit, @price, @memberPrice, @vatRate, @weighed, @active, @initials, @pinyin)
     ON CONFLICT (sku) DO UPDATE SET name = excluded.name, plu = excluded.plu, category = excluded.category, unit = excluded.unit,
       price = excluded.price, member_price = excluded.member_price, vat_rate = excluded.vat_rate, weighed = excluded.weighed,
       active = excluded.active, initials = excluded.initials, pinyin = excluded.pinyin`,
  );
  const dropCodes = db.prepare('DELETE FROM barcodes WHERE sku = ?');
  const addCode = db.prepare('INSERT INTO barcodes (barcode, sku) VALUES (?, ?) ON CONFLICT (barcode) DO UPDATE SET sku = excluded.sku');
  for (const p of c.products) {
    const keys = searchKeys(p.name);
    upsert.run({ ...p, plu: p.plu === null ? null : stripPlu(p.plu), weighed: p.weighed ? 1 : 0, active: p.active ? 1 : 0, ...keys });
    dropCodes.run(p.sku);
    for (const b of p.barcodes) addCode.run(b, p.sku);
  }
  const deactivate = db.prepare('UPDATE products SET active = 0 WHERE sku = ?');
  for (const sku of c.deactivate) deactivate.run(sku);
  const promo = db.prepare('INSERT INTO promotions (id, kind, active, def) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, active = excluded.active, def = excluded.def');
  for (const p of c.promotions) promo.run(p.id, p.kind, p.active ? 1 : 0, JSON.stringify(p));
  const dropPromo = db.prepare('DELETE FROM promotions WHERE id = ?');
  for (const id of c.removePromotions) dropPromo.run(id);
  const member = db.prepare('INSERT INTO members (code, name, active) VALUES (?, ?, ?) ON CONFLICT (code) DO UPDATE SET name = excluded.name, active = excluded.active');
  for (const m of c.members) member.run(m.code, m.name, m.active ? 1 : 0);
  upsertUsers(db, c.users);
  db.prepare('INSERT INTO catalog_state (id, version, settings) VALUES (1, ?, NULL) ON CONFLICT (id) DO UPDATE SET version = excluded.version').run(c.version);
  if (c.settings) db.prepare('UPDATE catalog_state SET settings = ? WHERE id = 1').run(JSON.stringify(c.settings));
  if (c.payments?.length) {
    const pay = db.prepare('INSERT INTO store_payments (store, config) VALUES (?, ?) ON CONFLICT (store) DO UPDATE SET config = excluded.config');
    for (const p of c.payments) pay.run(p.store, JSON.stringify(p));
  }
}

/** the hub's payment set-up for a store: its own row, else the one for every store ('*'), else null */
export function storePaymentsFor(db: ReadableDb, store: string): StorePayments | null {
  const row = db.prepare("SELECT config FROM store_payments WHERE store IN (?, '*') ORDER BY store = '*' LIMIT 1").pluck().get(store) as string | undefined;
  return row ? storePaymentsSchema.parse(JSON.parse(row)) : null;
}

export function catalogVersion(db: ReadableDb): number {
  const row = db.prepare('SELECT version FROM catalog_state WHERE id = 1').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

/** journals a change, split into entries of at most CHUNK products, all in one transaction */
function journalChange(ledger: Ledger, type: typeof CATALOG_APPLIED | typeof CATALOG_IMPORTED, change: CatalogChange): number {
  registerCatalogProjectors(ledger);
  const chunks: CatalogChange[] = [];
  const empty = { ...change, products: [], deactivate: [], promotions: [], removePromotions: [], members: [], users: [], settings: null, payments: [] };
  for (let i = 0; i < change.products.length; i += CHUNK) chunks.push({ ...empty, products: change.products.slice(i, i + CHUNK) });
  for (let i = 0; i < change.members.length; i += CHUNK * 4) chunks.push({ ...empty, members: change.members.slice(i, i + CHUNK * 4) });
  for (let i = 0; i < change.deactivate.length; i += CHUNK * 4) chunks.push({ ...empty, deactivate: change.deactivate.slice(i, i + CHUNK * 4) });
  chunks.push({ ...empty, promotions: change.promotions, removePromotions: change.removePromotions, users: change.users, settings: change.settings, payments: change.payments ?? [] });
  ledger.transaction(() => {
    for (const c of chunks) ledger.append(type, c);
  });
  return chunks.length;
}

function checkDelta(d: CatalogDelta): void {
  const seen = new Map<string, string>();
  for (const p of d.products) {
    if (p.weighed && p.plu === null) throw new TillError('bad-input', `weighed product ${p.sku} needs a PLU for its scale labels`);
    for (const b of p.barcodes) {
      const c = classifyCode(b, { embeddedLayouts: [], scaleLayout: null });
      if (c.kind !== 'gtin') throw new TillError('bad-input', `product ${p.sku}: barcode ${b} is not a valid GTIN`);
      const other = seen.get(b);
      if (other && other !== p.sku) throw new TillError('bad-input', `barcode ${b} is on both ${other} and ${p.sku}`);
      seen.set(b, p.sku);
    }
  }
}

/**
 * Applies a catalog delta from the hub in one transaction, journaled as
 * CatalogApplied. The delta must start from the terminal's current version
 * ('conflict' otherwise: pull again from that version).
 */
export function applyCatalogDelta(ledger: Ledger, input: CatalogDeltaInput): CatalogApplyResult {
  const parsed = catalogDeltaSchema.safeParse(input);
  if (!parsed.success) throw new TillError('bad-input', `the catalog delta is malformed: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const d = parsed.data;
  checkDelta(d);
  registerCatalogProjectors(ledger);
  return ledger.transaction(() => {
    const current = catalogVersion(ledger.db);
    if (d.fromVersion !== current) throw new TillError('conflict', `the delta starts at catalog version ${d.fromVersion} but this terminal is at ${current}`);
    if (d.version <= current) throw new TillError('conflict', `the delta's version ${d.version} is not newer than ${current}`);
    const entries = journalChange(ledger, CATALOG_APPLIED, { ...d, version: d.version });
    return { version: d.version, products: d.products.length, deactivated: d.deactivate.length, promotions: d.promotions.length, members: d.members.length, users: d.users.length, entries };
  });
}

/** A file import (till import-catalog, till init): the products become catalog version current + 1. */
export function importCatalog(
  ledger: Ledger,
  products: Product[],
  extra: { promotions?: Promotion[]; members?: Member[]; users?: CatalogUser[]; settings?: StoreSettings | null } = {},
): CatalogApplyResult {
  const delta: CatalogDeltaInput = { fromVersion: 0, version: 1, products, ...extra };
  const d = catalogDeltaSchema.parse(delta);
  checkDelta(d);
  registerCatalogProjectors(ledger);
  return ledger.transaction(() => {
    const version = catalogVersion(ledger.db) + 1;
    const entries = journalChange(ledger, CATALOG_IMPORTED, { ...d, version });
    return { version, products: d.products.length, deactivated: 0, promotions: d.promotions.length, members: d.members.length, users: d.users.length, entries };
  });
}

const SELECT_PRODUCT = `SELECT p.*, (SELECT group_concat(barcode) FROM barcodes b WHERE b.sku = p.sku) AS barcodes FROM products p`;

/** Reads the catalog for selling; caches follow the catalog version. */
export class CatalogReader {
  private readonly byBarcodeSt;
  private readonly byPluSt;
  private readonly bySkuSt;
  private readonly versionSt;
  private readonly memberSt;
  private cachedVersion = -1;
  private promos: Promotion[] = [];
  private settingsCache: StoreSettings = DEFAULT_SETTINGS;
  private index: SearchIndex<ProductView> | null = null;

  constructor(private readonly db: ReadableDb) {
    this.byBarcodeSt = db.prepare(`${SELECT_PRODUCT} WHERE p.sku = (SELECT sku FROM barcodes WHERE barcode = ?)`);
    this.byPluSt = db.prepare(`${SELECT_PRODUCT} WHERE p.plu = ? ORDER BY p.active DESC, p.sku LIMIT 1`);
    this.bySkuSt = db.prepare(`${SELECT_PRODUCT} WHERE p.sku = ?`);
    this.versionSt = db.prepare('SELECT version FROM catalog_state WHERE id = 1').pluck();
    this.memberSt = db.prepare('SELECT code, name, active FROM members WHERE code = ?');
  }

  /** re-reads promotions and settings when the catalog version moved */
  private refresh(): void {
    const version = (this.versionSt.get() as number | undefined) ?? 0;
    if (version === this.cachedVersion) return;
    const row = this.db.prepare('SELECT settings FROM catalog_state WHERE id = 1').get() as { settings: string | null } | undefined;
    this.cachedVersion = version;
    this.index = null;
    this.settingsCache = row?.settings ? storeSettingsSchema.parse(JSON.parse(row.settings)) : DEFAULT_SETTINGS;
    this.promos = (this.db.prepare('SELECT def FROM promotions ORDER BY id').pluck().all() as string[]).map((d) => promotionSchema.parse(JSON.parse(d)));
  }

  version(): number {
    this.refresh();
    return this.cachedVersion;
  }

  settings(): StoreSettings {
    this.refresh();
    return this.settingsCache;
  }

  promotions(): Promotion[] {
    this.refresh();
    return this.promos;
  }

  byBarcode(gtin: string): ProductView | null {
    const r = this.byBarcodeSt.get(gtin) as ProductRow | undefined;
    return r ? toView(r) : null;
  }

  byPlu(plu: string): ProductView | null {
    const r = this.byPluSt.get(stripPlu(plu)) as ProductRow | undefined;
    return r ? toView(r) : null;
  }

  bySku(sku: string): ProductView | null {
    const r = this.bySkuSt.get(sku) as ProductRow | undefined;
    return r ? toView(r) : null;
  }

  member(code: string): Member | null {
    const r = this.memberSt.get(code) as { code: string; name: string; active: number } | undefined;
    return r ? { code: r.code, name: r.name, active: r.active === 1 } : null;
  }

  counts(): { products: number; promotions: number } {
    return {
      products: this.db.prepare('SELECT count(*) FROM products WHERE active = 1').pluck().get() as number,
      promotions: this.promotions().length,
    };
  }

  /** builds the search index on first use after a catalog change (not needed to scan); it holds the active products */
  searchIndex(): SearchIndex<ProductView> {
    this.refresh();
    if (!this.index) {
      const rows = this.db.prepare(`${SELECT_PRODUCT} WHERE p.active = 1 ORDER BY p.sku`).all() as ProductRow[];
      this.index = new SearchIndex(rows.map(toView));
    }
    return this.index;
  }

  search(query: string, limit: number): ProductView[] {
    return this.searchIndex().search(query, limit);
  }
}

