/**
 * Where the better-sqlite3 binary built for Electron's ABI lives. better-sqlite3
 * is not N-API: node_modules/better-sqlite3/build holds the Node build that
 * `npm test` and the CLI use, and Electron loads its own copy, built by
 * scripts/electron-native.mjs into .native/electron-<platform>-<arch>/ with a
 * stamp naming the Electron version it was built for (development), and
 * shipped by electron-builder as resources/native/ (packaged app).
 */
import fs from 'node:fs';
import path from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';
/** next to the binary: the Electron version it was built for */
export const STAMP_FILE = 'electron-version';

/** the folder scripts/electron-native.mjs builds into */
export const nativeDirFor = (projectRoot: string, platform: string, arch: string): string =>
  path.join(projectRoot, '.native', `electron-${platform}-${arch}`);

export interface NativeLookup {
  packaged: boolean;
  /** process.resourcesPath of the packaged app */
  resourcesPath: string;
  /** the project root in development (where package.json is) */
  projectRoot: string;
  electronVersion: string;
  platform: string;
  arch: string;
  /**
   * an explicit path (TILL_NATIVE_BINDING) for development; a packaged app
   * ignores it, so an environment variable cannot make it load a native
   * library of someone else's choosing
   */
  override?: string | undefined;
}

/**
 * The path to hand to openLedger as `nativeBinding`. Throws a one-line error
 * naming the missing or stale file and the command that builds it.
 */
export function resolveNativeBinding(o: NativeLookup): string {
  if (o.override && !o.packaged) {
    const file = path.resolve(o.override);
    if (!fs.existsSync(file)) throw new Error(`TILL_NATIVE_BINDING points to ${file}, which does not exist`);
    return file;
  }
  if (o.packaged) {
    const file = path.join(o.resourcesPath, 'native', NATIVE_FILE);
    if (!fs.existsSync(file)) throw new Error(`the SQLite driver for this app is missing (${file}); reinstall Till`);
    return file;
  }
  const dir = nativeDirFor(o.projectRoot, o.platform, o.arch);
  const file = path.join(dir, NATIVE_FILE);
  const fix = "run 'node scripts/electron-native.mjs' (npm start does it)";
  if (!fs.existsSync(file)) throw new Error(`no better-sqlite3 build for Electron at ${file}; ${fix}`);
  let stamp = '';
  try {
    stamp = fs.readFileSync(path.join(dir, STAMP_FILE), 'utf8').trim();
  } catch {
    stamp = 'an unknown version';
  }
  if (stamp !== o.electronVersion) throw new Error(`${file} was built for Electron ${stamp}, this is Electron ${o.electronVersion}; ${fix}`);
  return file;
}
