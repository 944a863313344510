/**
 * Where the better-sqlite3 binary built for Electron's ABI lives. better-sqlite3
 * is not N-API: node_modules/better-sqlite3/build holds the Node build that
 * `npm test` and the CLI use, and Electron loads its own copy, built by
 * scripts/electron-native.mjs into .native/electron-<version>/ (development)
 * and shipped by electron-builder as resources/native/ (packaged app).
 */
import fs from 'node:fs';
import path from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';

/** the folder scripts/electron-native.mjs builds into, relative to the project root */
export const nativeDirFor = (projectRoot: string, electronVersion: string): string =>
  path.join(projectRoot, '.native', `electron-${electronVersion}`);

export interface NativeLookup {
  packaged: boolean;
  /** process.resourcesPath of the packaged app */
  resourcesPath: string;
  /** the project root in development (where package.json is) */
  projectRoot: string;
  electronVersion: string;
  /** an explicit path (TILL_NATIVE_BINDING) wins over both */
  override?: string | undefined;
}

/**
 * The path to hand to openLedger as `nativeBinding`. Throws a one-line error
 * naming the missing file and the command that builds it.
 */
export function resolveNativeBinding(o: NativeLookup): string {
  const file = o.override
    ? path.resolve(o.override)
    : o.packaged
      ? path.join(o.resourcesPath, 'native', NATIVE_FILE)
      : path.join(nativeDirFor(o.projectRoot, o.electronVersion), NATIVE_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(
      o.packaged
        ? `the SQLite driver for this app is missing (${file}); reinstall Till`
        : `no better-sqlite3 build for Electron ${o.electronVersion} at ${file}; run 'node scripts/electron-native.mjs' (npm start does it)`,
    );
  }
  return file;
}
