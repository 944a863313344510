/**
 * Enrollment as `till enroll` and the first-run set-up both do it: the hub
 * URL normalised (http(s); ws(s) taken as http(s); no trailing slash) and
 * checked (plain http only on this computer, or with insecure: see
 * src/sync/hub-trust.ts), the one-time code traded for the long-lived token,
 * the hub's public key and the chain's PIN key, together with the identity in
 * the ledger's genesis, and the credentials (hub URL, terminal id, token, the
 * keys, the pinned CA when there is one, the insecure mark) written through
 * the terminal's vault: the 0600 hub-credentials.json, or the app's
 * keychain-sealed variant.
 */
import { TillError } from '../../shared/errors';
import type { LedgerIdentity } from '../../ledger/index';
import { enrollTerminal } from '../../sync/credentials';
import { checkHubUrl } from '../../sync/hub-trust';
import type { TokenVault } from '../../sync/types';

/** the hub's base URL as it is stored; throws 'bad-input' for anything but http(s)/ws(s) */
export function normalizeHubUrl(url: string): string {
  const trimmed = url.trim();
  if (!/^(https?|wss?):\/\/[^/\s]+/i.test(trimmed)) throw new TillError('bad-input', `the hub address must start with https:// or http:// (got ${trimmed || 'nothing'})`);
  return trimmed.replace(/^ws/i, 'http').replace(/\/+$/, '');
}

export interface Enrolled {
  terminalId: string;
  hubUrl: string;
  pinned: boolean;
}

export async function enrollWithHub(o: { identity: LedgerIdentity; vault: TokenVault; hubUrl: string; code: string; ca?: string; insecure?: boolean }): Promise<Enrolled> {
  const hubUrl = normalizeHubUrl(o.hubUrl);
  const insecure = o.insecure === true;
  const { plainOffLoopback } = checkHubUrl(hubUrl, insecure);
  const r = await enrollTerminal({ hubUrl, code: o.code.trim(), store: o.identity.store, terminal: o.identity.terminal, insecure, ...(o.ca ? { ca: o.ca } : {}) });
  o.vault.write({ hubUrl, terminalId: r.terminalId, token: r.token, hubKey: r.hubKey, pinKey: r.pinKey, ...(plainOffLoopback ? { insecure: true } : {}), ...(o.ca ? { ca: o.ca } : {}) });
  return { terminalId: r.terminalId, hubUrl, pinned: o.ca !== undefined };
}
