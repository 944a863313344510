/**
 * The till's payment-code configuration from its data directory:
 * DATA/payments.json (a commented example for IT staff is
 * resources/config/payments.example.json). It holds merchant secrets (the
 * WeChat Pay API key; the paths of the merchant certificate and the Alipay
 * app key), so it and every key file it names must be readable by the till's
 * user only (0600): a file others can read is refused, as ssh refuses such a
 * key. Without the file the till takes no payment codes; the sandbox runs only
 * when the file says "mode": "sandbox". A file that cannot be used never stops
 * the till from selling: the problem (naming the file and field, never a
 * value) is logged and payment codes are refused until it is fixed.
 * Relative paths are relative to the data directory.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TillError } from '../../shared/errors';
import type { PaymentProviderName } from '../../shared/contract/cart';
import type { StorePayments } from '../../shared/contract/catalog';
import type { PaymentProvider } from '../../core/payment';
import type { LedgerIdentity } from '../../ledger/index';
import { SandboxPaymentProvider } from '../handlers/payment-sandbox';
import { AlipayProvider } from '../payments/alipay';
import type { ClientCertificate } from '../payments/http';
import { NoPayments } from '../payments/none';
import type { PaymentTrace } from '../payments/provider-common';
import { RoutedPayments } from '../payments/router';
import { paymentsSummary } from '../payments/summary';
import { WechatPayProvider } from '../payments/wechat-pay';

export const PAYMENTS_FILE = 'payments.json';

const fileRef = z.string().min(1).max(4096);

const wechatSchema = z
  .object({
    appId: z.string().min(1).max(32),
    mchId: z.string().regex(/^\d{1,32}$/, 'digits'),
    subMchId: z.string().regex(/^\d{1,32}$/, 'digits').optional(),
    subAppId: z.string().min(1).max(32).optional(),
    apiKey: z.string().regex(/^[A-Za-z0-9]{32}$/, 'the API v2 key is 32 letters and digits'),
    signType: z.enum(['MD5', 'HMAC-SHA256']).default('HMAC-SHA256'),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** apiclient_cert.p12; its password defaults to the merchant id, as WeChat Pay issues it */
    certP12File: fileRef.optional(),
    certPassword: z.string().max(128).optional(),
    /** or the PEM pair apiclient_cert.pem + apiclient_key.pem */
    certFile: fileRef.optional(),
    keyFile: fileRef.optional(),
    /** an extra CA to trust (a test endpoint) */
    caFile: fileRef.optional(),
    clientIp: z.ipv4().default('127.0.0.1'),
  })
  .strict()
  .refine((w) => w.certP12File !== undefined || (w.certFile !== undefined && w.keyFile !== undefined), {
    message: 'the merchant certificate is needed for reverse and refund: certP12File, or certFile and keyFile',
    path: ['certP12File'],
  });

const alipaySchema = z
  .object({
    appId: z.string().regex(/^\d{16}$/, '16 digits'),
    /** the app's RSA2 private key (PEM, PKCS#8 or PKCS#1) */
    privateKeyFile: fileRef,
    /** Alipay's public key for this app (PEM) */
    alipayPublicKeyFile: fileRef,
    gateway: z.url({ protocol: /^https?$/ }).optional(),
    /** store_id on Alipay's bill (default: the till's store code) */
    storeId: z.string().min(1).max(32).optional(),
  })
  .strict();

export const paymentsFileSchema = z
  .object({
    mode: z.enum(['live', 'sandbox']),
    /** how long a customer may take to confirm before the order is revoked (WeChat Pay advises 30 s) */
    timeoutSeconds: z.number().positive().max(120).default(30),
    pollSeconds: z.number().positive().max(30).default(5),
    requestTimeoutSeconds: z.number().positive().max(60).default(10),
    revokeAttempts: z.number().int().min(1).max(10).default(3),
    wechat: wechatSchema.optional(),
    alipay: alipaySchema.optional(),
  })
  .strict()
  .refine((c) => c.mode === 'sandbox' || c.wechat !== undefined || c.alipay !== undefined, { message: 'live mode needs a wechat or an alipay section', path: ['mode'] });

export type PaymentsFileConfig = z.output<typeof paymentsFileSchema>;

/** refuses a secret file other users can read (POSIX permissions; Windows relies on the folder's ACL) */
function checkPrivate(file: string, what: string): void {
  if (process.platform === 'win32') return;
  const st = fs.statSync(file);
  if ((st.mode & 0o077) !== 0) throw new TillError('config-invalid', `${what} ${file} can be read by other users: chmod 600 it`);
}

function readSecret(dataDir: string, ref: string, what: string): Buffer {
  const file = path.resolve(dataDir, ref);
  try {
    checkPrivate(file, what);
    return fs.readFileSync(file);
  } catch (e) {
    if (e instanceof TillError) throw e;
    throw new TillError('config-invalid', `${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

function readPublic(dataDir: string, ref: string, what: string): string {
  const file = path.resolve(dataDir, ref);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TillError('config-invalid', `${what} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** reads and validates DATA/payments.json: null when there is none; 'config-invalid' naming the file and field (never a value) otherwise */
export function readPaymentsFile(dataDir: string): PaymentsFileConfig | null {
  const file = path.join(dataDir, PAYMENTS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TillError('config-invalid', `${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  checkPrivate(file, 'the payments file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    // the parser's message quotes the text around the error, which may be a key: only the position is told
    const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw new TillError('config-invalid', `${file} is not valid JSON${at ? ` (near character ${at})` : ''}`);
  }
  const parsed = paymentsFileSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new TillError('config-invalid', `${file}: ${i && i.path.length ? `${i.path.join('.')}: ` : ''}${i?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export interface BuildOptions {
  dataDir: string;
  identity: LedgerIdentity;
  /** the hub's set-up of this store (signed, from the catalog), or null: it overrides the file's mode, ids and timing, never its keys */
  hub?: StorePayments | null;
  sleep?: (ms: number) => Promise<void>;
  trace?: (t: PaymentTrace) => void;
}

function wechatCert(dataDir: string, w: NonNullable<PaymentsFileConfig['wechat']>): ClientCertificate {
  if (w.certP12File) return { pfx: readSecret(dataDir, w.certP12File, 'the WeChat Pay certificate'), passphrase: w.certPassword ?? w.mchId };
  return { cert: readPublic(dataDir, w.certFile as string, 'the WeChat Pay certificate'), key: readSecret(dataDir, w.keyFile as string, 'the WeChat Pay certificate key').toString('utf8') };
}

/** the provider the file describes: the sandbox, or the configured real ones behind one router */
export function buildPayments(c: PaymentsFileConfig, o: BuildOptions): PaymentProvider {
  const timeoutMs = Math.round(c.timeoutSeconds * 1000);
  const pollMs = Math.round(c.pollSeconds * 1000);
  if (c.mode === 'sandbox') return new SandboxPaymentProvider({ timeoutMs, pollMs });
  const loop = { timeoutMs, pollMs, revokeAttempts: c.revokeAttempts, sleep: o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))), trace: o.trace };
  const requestTimeoutMs = Math.round(c.requestTimeoutSeconds * 1000);
  const providers: Partial<Record<PaymentProviderName, PaymentProvider>> = {};
  const w = c.wechat;
  if (w) {
    providers.wechat = new WechatPayProvider(
      {
        appId: w.appId,
        mchId: w.mchId,
        subMchId: w.subMchId ?? null,
        subAppId: w.subAppId ?? null,
        apiKey: w.apiKey,
        signType: w.signType,
        ...(w.baseUrl ? { baseUrl: w.baseUrl } : {}),
        clientCert: wechatCert(o.dataDir, w),
        ca: w.caFile ? readPublic(o.dataDir, w.caFile, 'the CA file') : null,
        deviceInfo: o.identity.terminal,
        clientIp: w.clientIp,
        requestTimeoutMs,
      },
      loop,
    );
  }
  const a = c.alipay;
  if (a) {
    const privateKey = readSecret(o.dataDir, a.privateKeyFile, 'the Alipay app private key').toString('utf8');
    const alipayPublicKey = readPublic(o.dataDir, a.alipayPublicKeyFile, "Alipay's public key");
    try {
      createPrivateKey(privateKey);
      createPublicKey(alipayPublicKey);
      providers.alipay = new AlipayProvider(
        { appId: a.appId, privateKey, alipayPublicKey, ...(a.gateway ? { gateway: a.gateway } : {}), storeId: a.storeId ?? o.identity.store, terminalId: o.identity.terminal, requestTimeoutMs },
        loop,
      );
    } catch {
      throw new TillError('config-invalid', 'the Alipay keys in the payments file are not usable RSA keys (PEM)');
    }
  }
  return new RoutedPayments(providers, timeoutMs, pollMs);
}

export interface FilePayments {
  provider: PaymentProvider;
  /** why the file is not in use, or null */
  problem: string | null;
  /** one line for the log */
  summary: string;
}

/**
 * The configuration in force: the file as it is, or, when the hub set up this
 * store, the hub's mode, providers, merchant and app ids and timing with the
 * file's keys, certificates and endpoints. A provider the hub sets up whose
 * keys the file lacks is named ('config-invalid').
 */
export function effectivePayments(file: PaymentsFileConfig | null, hub: StorePayments | null, store: string): PaymentsFileConfig | null {
  if (!hub) return file;
  const timing = {
    timeoutSeconds: hub.timeoutSeconds ?? file?.timeoutSeconds ?? 30,
    pollSeconds: hub.pollSeconds ?? file?.pollSeconds ?? 5,
    requestTimeoutSeconds: file?.requestTimeoutSeconds ?? 10,
    revokeAttempts: file?.revokeAttempts ?? 3,
  };
  if (hub.mode !== 'live') return { mode: 'sandbox', ...timing };
  const missing = (p: string, id: string) =>
    new TillError('config-invalid', `the hub sets up ${p} for store ${store} (${id}), but this till's payments.json has no ${p === 'WeChat Pay' ? 'wechat' : 'alipay'} keys`);
  const out: PaymentsFileConfig = { mode: 'live', ...timing };
  if (hub.wechat) {
    if (!file?.wechat) throw missing('WeChat Pay', `merchant ${hub.wechat.mchId}`);
    const { subMchId: _s, subAppId: _a, ...keys } = file.wechat;
    out.wechat = { ...keys, ...hub.wechat, signType: hub.wechat.signType ?? file.wechat.signType };
  }
  if (hub.alipay) {
    if (!file?.alipay) throw missing('Alipay', `app ${hub.alipay.appId}`);
    out.alipay = { ...file.alipay, ...hub.alipay };
  }
  if (!out.wechat && !out.alipay) throw new TillError('config-invalid', `the hub sets store ${store} live with no provider`);
  return out;
}

/** the payments of DATA/payments.json and the hub's set-up of the store; never throws for their content */
export function loadFilePayments(o: BuildOptions): FilePayments {
  try {
    const hub = o.hub ?? null;
    if (hub?.mode === 'none') return { provider: new NoPayments(), problem: null, summary: `payments: switched off for store ${o.identity.store} at the hub` };
    const c = effectivePayments(readPaymentsFile(o.dataDir), hub, o.identity.store);
    if (!c) return { provider: new NoPayments(), problem: null, summary: 'payments: no payments.json, payment codes are refused' };
    const provider = buildPayments(c, o);
    const s = paymentsSummary(provider);
    const from = hub ? ' (set up at the hub)' : '';
    return { provider, problem: null, summary: c.mode === 'sandbox' ? `payments: SANDBOX (nothing is really charged)${from}` : `payments: ${s.providers.join(', ')}${from}` };
  } catch (e) {
    if (!(e instanceof TillError)) throw e;
    return { provider: new NoPayments(), problem: e.message, summary: 'payments: refused (see the problem), payment codes are refused' };
  }
}
