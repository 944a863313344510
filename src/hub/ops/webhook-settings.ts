/**
 * The webhooks alerts go to, kept as the hub setting 'alerts.webhooks'.
 *
 * An address (which carries the robot's key or token) and a secret are
 * sealed before they reach the database: AES-256-GCM under a key derived
 * (HKDF-SHA256, info "till-webhook-seal-v1") from the hub's signing key in
 * DIR/hub-secrets.json, which every node of a hub shares and terminals never
 * get; the webhook's id is the additional data, so a sealed value cannot be
 * moved to another webhook. A copy of the database alone does not reveal
 * them. Outward an address is masked (maskUrl) and a secret only said to be
 * there.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { AlertLanguage, WebhookKind, WebhookView } from '../../shared/hub-api/index';
import { TillError } from '../../shared/errors';
import type { HubSecrets } from '../secrets';
import type { ConsoleStore } from '../store/types';
import type { WebhookTarget } from './webhooks';

export const WEBHOOKS_KEY = 'alerts.webhooks';

/** as stored: address and secret sealed */
export interface StoredWebhook {
  id: string;
  kind: WebhookKind;
  name: string;
  url: string;
  secret: string | null;
  language: AlertLanguage;
  enabled: boolean;
  stores: string[] | null;
  updatedAt: string;
}

export interface WebhookSetting {
  webhooks: StoredWebhook[];
}

export interface Sealer {
  seal(text: string, id: string): string;
  open(sealed: string, id: string): string;
}

const PREFIX = 'v1:';

export function webhookSealer(secrets: HubSecrets): Sealer {
  const ikm = secrets.signingKey.export({ type: 'pkcs8', format: 'der' });
  const key = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), 'till-webhook-seal-v1', 32));
  return {
    seal(text, id) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      c.setAAD(Buffer.from(id, 'utf8'));
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return PREFIX + Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    open(sealed, id) {
      if (!sealed.startsWith(PREFIX)) throw new TillError('config-invalid', `webhook ${id}: its address or secret is not sealed`);
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      try {
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAAD(Buffer.from(id, 'utf8'));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new TillError('config-invalid', `webhook ${id}: its address or secret was sealed with other hub secrets (copy DIR/hub-secrets.json from the first node, or save the webhook again)`);
      }
    },
  };
}

export async function storedWebhooks(store: Pick<ConsoleStore, 'setting'>): Promise<StoredWebhook[]> {
  return (await store.setting<WebhookSetting>(WEBHOOKS_KEY))?.webhooks ?? [];
}

/** the enabled webhooks that receive alerts of `storeCode` */
export function webhooksFor(all: readonly StoredWebhook[], storeCode: string): string[] {
  return all.filter((w) => w.enabled && (w.stores === null || w.stores.includes(storeCode))).map((w) => w.id);
}

export function openWebhook(w: StoredWebhook, sealer: Sealer): WebhookTarget {
  return { id: w.id, kind: w.kind, url: sealer.open(w.url, w.id), secret: w.secret === null ? null : sealer.open(w.secret, w.id), language: w.language };
}

/** the address with userinfo dropped and each query value cut to its last four characters */
export function maskUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return '…';
  }
  const query = [...u.searchParams.entries()].map(([k, v]) => `${k}=${v.length > 4 ? `…${v.slice(-4)}` : '…'}`);
  return `${u.protocol}//${u.host}${u.pathname}${query.length ? `?${query.join('&')}` : ''}`;
}

export function webhookView(w: StoredWebhook, sealer: Sealer): WebhookView {
  let url: string;
  try {
    url = maskUrl(sealer.open(w.url, w.id));
  } catch {
    url = '…';
  }
  return { id: w.id, kind: w.kind, name: w.name, url, hasSecret: w.secret !== null, language: w.language, enabled: w.enabled, stores: w.stores, updatedAt: w.updatedAt };
}

/** what an address must carry for its kind (a pasted address without its key is caught here); null when fine */
export function urlProblem(kind: WebhookKind, url: string): string | null {
  const u = new URL(url);
  if (u.username || u.password) return 'an address with a user name or password';
  if (kind === 'wecom' && !u.searchParams.get('key')) return 'a WeCom robot address needs its ?key=';
  if (kind === 'dingtalk' && !u.searchParams.get('access_token')) return 'a DingTalk robot address needs its ?access_token=';
  if (kind === 'dingtalk' && (u.searchParams.has('timestamp') || u.searchParams.has('sign'))) return 'a DingTalk address without timestamp and sign: the hub signs each message with the secret';
  return null;
}
