/**
 * The terminal's side of enrollment and its credentials.
 *
 * enrollTerminal() trades a one-time code, together with the identity in the
 * ledger's genesis, for the hub's long-lived token, its public key and the
 * chain's PIN key (HTTP POST /api/enroll, over https with an optional pinned
 * CA; plain http only on loopback or with --insecure, see hub-trust.ts). fileTokenVault() keeps the hub URL,
 * terminal id, token and pinned CA in <data>/hub-credentials.json, created
 * with mode 0600 and replaced atomically; the Electron app supplies a vault
 * that wraps the token with safeStorage instead.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { z } from 'zod';
import { TillError } from '../shared/errors';
import { enrollResponseSchema, terminalIdSchema, type EnrollResponse } from '../shared/replication';
import { checkHubUrl } from './hub-trust';
import type { Credentials, TokenVault } from './types';

export const CREDENTIALS_FILE = 'hub-credentials.json';

const credentialsSchema = z.object({
  hubUrl: z.string().url(),
  terminalId: terminalIdSchema,
  token: z.string().min(16),
  ca: z.string().optional(),
  hubKey: z.string().optional(),
  pinKey: z.string().optional(),
  insecure: z.boolean().optional(),
});

export function fileTokenVault(dir: string): TokenVault {
  const file = path.join(dir, CREDENTIALS_FILE);
  return {
    read: () => {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new TillError('config-invalid', `${file} is damaged; enroll this terminal again with till enroll`);
      }
      if (typeof json === 'object' && json !== null && 'sealedToken' in json) {
        throw new TillError('config-invalid', `the hub token in ${file} is sealed by the Till app with this computer's keychain and only the app can use it; run till enroll again to use it from the command line`);
      }
      const parsed = credentialsSchema.safeParse(json);
      if (!parsed.success) throw new TillError('config-invalid', `${file} is damaged; enroll this terminal again with till enroll`);
      return parsed.data as Credentials;
    },
    write: (c) => {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(c, null, 2) + '\n', { mode: 0o600 });
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, file);
    },
  };
}

/**
 * POSTs JSON with node:http(s) so a pinned CA can be given. One connection per
 * request (no keep-alive agent): these calls are rare, and a pooled socket that
 * the server closes just as it is reused fails the call with ECONNRESET.
 */
export function postJson(url: string, body: unknown, opts: { ca?: string; timeoutMs?: number; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> {
  const u = new URL(url);
  const lib = u.protocol === 'https:' ? https : http;
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = lib.request(
      u,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...opts.headers }, timeout: opts.timeoutMs ?? 15_000, ...(opts.ca ? { ca: opts.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
          } catch {
            reject(new TillError('offline', `${url} did not answer with JSON (HTTP ${res.statusCode})`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => reject(new TillError('offline', `cannot reach ${u.origin}: ${e.message}`)));
    req.end(data);
  });
}

/** trades the code for the token, the hub's key and the PIN key; refuses plain http off loopback unless insecure */
export async function enrollTerminal(o: { hubUrl: string; code: string; store: string; terminal: string; ca?: string; insecure?: boolean }): Promise<EnrollResponse> {
  const hubUrl = o.hubUrl.replace(/\/+$/, '');
  checkHubUrl(hubUrl, o.insecure === true);
  const res = await postJson(`${hubUrl}/api/enroll`, { code: o.code, store: o.store, terminal: o.terminal }, o.ca ? { ca: o.ca } : {});
  if (res.status !== 200) {
    const err = (res.body as { error?: { code?: string; message?: string } }).error;
    throw new TillError(err?.code === 'forbidden' ? 'forbidden' : 'unauthenticated', `the hub refused the enrollment: ${err?.message ?? `HTTP ${res.status}`}`);
  }
  return enrollResponseSchema.parse(res.body);
}
