/**
 * The hub token sealed with Electron safeStorage (the OS keychain: DPAPI on
 * Windows, Keychain on macOS, libsecret or KWallet on Linux). On Linux
 * without a keychain Electron falls back to a fixed key ('basic_text'), which
 * protects nothing, so the token then stays in the plain 0600 file. The file
 * format is sealedTokenVault's (src/terminal/runtime/vault.ts).
 */
import { safeStorage } from 'electron';
import { sealedTokenVault, type TokenSealer } from '../terminal/index';
import type { TokenVault } from '../sync/types';

/** null when the OS offers no real keychain; call after app 'ready' */
export function safeStorageSealer(): TokenSealer | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  return {
    seal: (token) => safeStorage.encryptString(token).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

export function appTokenVault(dataDir: string): { vault: TokenVault; sealed: boolean } {
  const sealer = safeStorageSealer();
  return { vault: sealedTokenVault(dataDir, sealer), sealed: sealer !== null };
}
