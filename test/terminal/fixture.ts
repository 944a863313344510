/** A real terminal in a temporary directory with a small known catalog, users and a fixed clock. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withCheckDigit } from '../../src/core/barcode';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type { Product, Promotion, StoreSettings } from '../../src/shared/contract/catalog';
import type { CallContext, MethodName } from '../../src/shared/contract';
import { createTerminal, importCatalog, saveUser, SandboxPaymentProvider, type PaymentProvider, type Terminal, type TerminalOptions } from '../../src/terminal';

export const ean = (body12: string) => withCheckDigit(body12);

export const P = {
  water: { sku: 'W001', name: '农夫山泉饮用天然水550ml', barcodes: [ean('690123456789')], plu: '101', category: '饮料', unit: '瓶', price: 200, memberPrice: 180, vatRate: 1300, weighed: false, active: true },
  cola: { sku: 'C001', name: '可口可乐330ml', barcodes: [ean('690000000001')], plu: '102', category: '饮料', unit: '罐', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true },
  noodle: { sku: 'N001', name: '康师傅红烧牛肉面', barcodes: [ean('690000000002')], plu: '103', category: '方便食品', unit: '袋', price: 450, memberPrice: null, vatRate: 1300, weighed: false, active: true },
  riceball: { sku: 'R001', name: '金枪鱼饭团', barcodes: [ean('690000000003')], plu: '104', category: '鲜食', unit: '个', price: 650, memberPrice: null, vatRate: 900, weighed: false, active: true },
  apple: { sku: 'A001', name: '红富士苹果', barcodes: [], plu: '201', category: '水果', unit: 'kg', price: 1280, memberPrice: 1180, vatRate: 900, weighed: true, active: true },
  stamp: { sku: 'S001', name: '邮票', barcodes: [ean('690000000004')], plu: '105', category: '服务', unit: '张', price: 120, memberPrice: null, vatRate: 0, weighed: false, active: true },
  gone: { sku: 'G001', name: '停售商品', barcodes: [ean('690000000005')], plu: '106', category: '饮料', unit: '瓶', price: 100, memberPrice: null, vatRate: 1300, weighed: false, active: false },
} satisfies Record<string, Product>;

const always = { from: null, to: null, dailyFromMinute: null, dailyToMinute: null };
export const PROMOS: Promotion[] = [
  { id: 'P-COLA2', name: '可乐2罐6元', kind: 'multi-buy', active: true, membersOnly: false, window: always, items: { skus: ['C001'], categories: [] }, qty: 2, price: 600 },
  { id: 'P-NOODLE', name: '方便面第二件半价', kind: 'nth-off', active: true, membersOnly: false, window: always, items: { skus: ['N001'], categories: [] }, n: 2, percentOff: 5000 },
];

export const SETTINGS: StoreSettings = { ...DEFAULT_SETTINGS, rounding: { unit: 'none', method: 'down' } };

export const USERS = {
  cashier: { code: '1001', name: '张三', role: 'cashier', pin: '1234' },
  supervisor: { code: '2001', name: '李四', role: 'supervisor', pin: '2345' },
  manager: { code: '3001', name: '王五', role: 'manager', pin: '3456' },
  admin: { code: '9001', name: '管理员', role: 'admin', pin: '9999' },
} as const;

export interface Fixture {
  dir: string;
  t: Terminal;
  payments: SandboxPaymentProvider;
  tokens: Record<keyof typeof USERS, string>;
  call(method: MethodName, input: unknown, as?: keyof typeof USERS | CallContext): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  /** like call, but throws on a refusal and returns the value */
  ok<T = unknown>(method: MethodName, input: unknown, as?: keyof typeof USERS | CallContext): Promise<T>;
  /** closes the terminal and opens it again on the same data; signs every user in again unless signIn is false */
  reopen(extra?: Partial<TerminalOptions>, opts?: { signIn?: boolean }): Promise<void>;
  close(): void;
}

export async function openFixture(
  opts: { settings?: StoreSettings; promotions?: Promotion[]; now?: Date; payments?: SandboxPaymentProvider; /** a real provider instead of the sandbox */ provider?: PaymentProvider } = {},
): Promise<Fixture> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-term-'));
  let now = opts.now ?? new Date('2026-06-01T04:00:00.000Z');
  const clock = () => now;
  const payments = opts.payments ?? new SandboxPaymentProvider({ timeoutMs: 200, pollMs: 20 });
  const base: TerminalOptions = { dataDir: dir, clock, paymentProvider: opts.provider ?? payments, checkOutputs: true, create: { store: 'S01', terminal: 'T1' }, log: () => undefined };
  const t0 = createTerminal(base);
  importCatalog(t0.ledger, Object.values(P), { promotions: opts.promotions ?? PROMOS, settings: opts.settings ?? SETTINGS, members: [{ code: '88880001', name: '会员甲', active: true }] });
  for (const u of Object.values(USERS)) saveUser(t0.ledger, u);
  const f: Fixture = {
    dir,
    t: t0,
    payments,
    tokens: { cashier: '', supervisor: '', manager: '', admin: '' },
    async call(method, input, as = 'cashier') {
      const ctx: CallContext = typeof as === 'string' ? { sessionToken: f.tokens[as] } : as;
      return f.t.dispatch(method, input, ctx);
    },
    async ok<T>(method: MethodName, input: unknown, as: keyof typeof USERS | CallContext = 'cashier') {
      const r = await f.call(method, input, as);
      if (!r.ok) throw new Error(`${method} refused: ${r.error?.code} ${r.error?.message}`);
      return r.value as T;
    },
    async reopen(extra = {}, o = {}) {
      f.t.close();
      f.t = createTerminal({ ...base, ...extra });
      if (o.signIn !== false) await login();
    },
    close() {
      f.t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  async function login() {
    for (const [k, u] of Object.entries(USERS)) {
      const r = await f.t.dispatch('auth.login', { userCode: u.code, pin: u.pin }, {});
      if (!r.ok) throw new Error(`login ${u.code}: ${r.error.message}`);
      f.tokens[k as keyof typeof USERS] = (r.value as { sessionToken: string }).sessionToken;
    }
  }
  await login();
  // selling needs an open shift (store-operations setting shiftRequired, default on)
  const shift = await f.t.dispatch('shift.open', { float: [] }, { sessionToken: f.tokens.cashier });
  if (!shift.ok) throw new Error(`shift.open: ${shift.error.message}`);
  void now;
  return Object.assign(f, { setNow: (d: Date) => (now = d) });
}
