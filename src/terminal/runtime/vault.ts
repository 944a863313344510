/**
 * A TokenVault whose token is sealed by the operating system's keychain (the
 * Electron app supplies the sealer, built on safeStorage; this file knows no
 * Electron). It uses the same file as the plain vault,
 * DATA/hub-credentials.json (mode 0600, replaced atomically), with
 * `sealedToken` (base64 of the sealed bytes) in place of `token`:
 *
 *   {"hubUrl": "...", "terminalId": "S001/T01", "sealedToken": "...", "sealedPinKey": "...", "hubKey": "...", "ca": "..."}
 *
 * A plain file written by `till enroll` is sealed on its first read. Without
 * a sealer (no keychain) the plain vault is used unchanged. A sealed token
 * can only be opened on the computer and user account that sealed it, so the
 * command line (till sync, till terminal) refuses such a file with a clear
 * message; enrolling again gives it a plain one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TillError } from '../../shared/errors';
import { writePrivateFile } from '../../ledger/index';
import { terminalIdSchema } from '../../shared/replication';
import { CREDENTIALS_FILE, fileTokenVault } from '../../sync/credentials';
import type { Credentials, TokenVault } from '../../sync/types';

export interface TokenSealer {
  /** the token sealed, as base64 */
  seal(token: string): string;
  open(sealed: string): string;
}

const sealedSchema = z.object({
  hubUrl: z.string().url(),
  terminalId: terminalIdSchema,
  sealedToken: z.string().min(1),
  ca: z.string().optional(),
  hubKey: z.string().optional(),
  /** the chain's PIN key, sealed like the token */
  sealedPinKey: z.string().optional(),
  insecure: z.boolean().optional(),
});

const writeAtomic = (file: string, value: unknown): void => writePrivateFile(file, JSON.stringify(value, null, 2) + '\n');

export function sealedTokenVault(dir: string, sealer: TokenSealer | null): TokenVault {
  const plain = fileTokenVault(dir);
  if (!sealer) return plain;
  const file = path.join(dir, CREDENTIALS_FILE);
  const write = (c: Credentials): void => {
    const { token, pinKey, ...rest } = c;
    writeAtomic(file, { ...rest, sealedToken: sealer.seal(token), ...(pinKey ? { sealedPinKey: sealer.seal(pinKey) } : {}) });
  };
  return {
    read: () => {
      let raw: unknown;
      try {
        raw = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new TillError('config-invalid', `${file} is damaged; enroll this terminal again with till enroll`);
      }
      const sealed = sealedSchema.safeParse(raw);
      if (!sealed.success) {
        const c = plain.read();
        if (c) write(c);
        return c;
      }
      const { sealedToken, sealedPinKey, ...rest } = sealed.data;
      let token: string;
      let pinKey: string | undefined;
      try {
        token = sealer.open(sealedToken);
        pinKey = sealedPinKey === undefined ? undefined : sealer.open(sealedPinKey);
      } catch (e) {
        throw new TillError('config-invalid', `the hub token in ${file} cannot be unsealed on this computer (${e instanceof Error ? e.message : String(e)}); enroll this terminal again`);
      }
      return { ...rest, token, ...(pinKey ? { pinKey } : {}) } as Credentials;
    },
    write,
  };
}
