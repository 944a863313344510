/**
 * The sealed token vault on a real file: the token never lies in the file in
 * plain text, a plain file from till enroll is sealed on first read, and the
 * command line's plain vault refuses a sealed file with a sentence instead of
 * calling it damaged. The sealer here is a reversible stand-in for Electron
 * safeStorage (which needs a running Electron and an OS keychain).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, fileTokenVault } from '../../src/sync/credentials';
import { sealedTokenVault, type TokenSealer } from '../../src/terminal';
import { tempDir } from '../hub/fixtures';

const KEY = 0x5a;
const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ KEY));
const sealer: TokenSealer = {
  seal: (t) => xor(Buffer.from(t, 'utf8')).toString('base64'),
  open: (s) => {
    if (!/^[A-Za-z0-9+/=]+$/.test(s)) throw new Error('not sealed by this key');
    return xor(Buffer.from(s, 'base64')).toString('utf8');
  },
};
const CREDS = { hubUrl: 'http://127.0.0.1:7000', terminalId: 'S1/T1', token: 'tok-0123456789abcdef-secret' };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const dir = () => {
  const d = tempDir('vault');
  dirs.push(d);
  return d;
};

describe('sealedTokenVault', () => {
  it('writes the token sealed (mode 0600) and reads it back', () => {
    const d = dir();
    const v = sealedTokenVault(d, sealer);
    expect(v.read()).toBeNull();
    v.write(CREDS);
    const file = path.join(d, CREDENTIALS_FILE);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(CREDS.token);
    expect(JSON.parse(text)).toMatchObject({ hubUrl: CREDS.hubUrl, terminalId: CREDS.terminalId, sealedToken: expect.any(String) as unknown });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(v.read()).toEqual(CREDS);
  });

  it('seals a plain file written by till enroll on its first read', () => {
    const d = dir();
    fileTokenVault(d).write(CREDS);
    expect(sealedTokenVault(d, sealer).read()).toEqual(CREDS);
    expect(fs.readFileSync(path.join(d, CREDENTIALS_FILE), 'utf8')).not.toContain(CREDS.token);
    expect(sealedTokenVault(d, sealer).read()).toEqual(CREDS);
  });

  it('without a sealer it is the plain file vault', () => {
    const d = dir();
    sealedTokenVault(d, null).write(CREDS);
    expect(fs.readFileSync(path.join(d, CREDENTIALS_FILE), 'utf8')).toContain(CREDS.token);
    expect(fileTokenVault(d).read()).toEqual(CREDS);
  });

  it('the plain vault refuses a sealed file with a sentence, and a token that does not unseal says so', () => {
    const d = dir();
    sealedTokenVault(d, sealer).write(CREDS);
    expect(() => fileTokenVault(d).read()).toThrow(/sealed by the Till app .* run till enroll again/);
    const file = path.join(d, CREDENTIALS_FILE);
    fs.writeFileSync(file, JSON.stringify({ ...CREDS, token: undefined, sealedToken: '***' }));
    expect(() => sealedTokenVault(d, sealer).read()).toThrow(/cannot be unsealed on this computer/);
    fs.writeFileSync(file, '{"hubUrl": ');
    expect(() => sealedTokenVault(d, sealer).read()).toThrow(/is damaged; enroll this terminal again/);
    expect(() => fileTokenVault(d).read()).toThrow(/is damaged; enroll this terminal again/);
  });
});
