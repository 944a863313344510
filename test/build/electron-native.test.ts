import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEnv, electronVersion, ensureElectronNative, nativeDir, NATIVE_FILE, STAMP_FILE } from '../../scripts/electron-native.mjs';
import { nativeDirFor, NATIVE_FILE as MAIN_NATIVE_FILE, STAMP_FILE as MAIN_STAMP_FILE } from '../../src/main/native-binding';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('scripts/electron-native.mjs', () => {
  it("removes npm's nodedir (Node's headers: wrong ABI) and build-from-source from the build environment", () => {
    const env = buildEnv({ PATH: '/usr/bin', npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr', npm_config_build_from_source: 'true', npm_config_cache: '/c' });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_cache: '/c' });
  });

  it('builds where the main process looks, with the same file names', () => {
    expect(nativeDir('win32', 'x64')).toBe(nativeDirFor(ROOT, 'win32', 'x64'));
    expect(NATIVE_FILE).toBe(MAIN_NATIVE_FILE);
    expect(STAMP_FILE).toBe(MAIN_STAMP_FILE);
    expect(electronVersion()).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version);
  });

  it('reuses an up-to-date build without touching the network', async () => {
    const platform = 'test-only';
    const dir = nativeDir(platform, 'x64');
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, NATIVE_FILE), 'binary');
      fs.writeFileSync(path.join(dir, STAMP_FILE), '45.5.0\n');
      await expect(ensureElectronNative({ electron: '45.5.0', platform, arch: 'x64' })).resolves.toEqual({ file: path.join(dir, NATIVE_FILE), how: 'up to date' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
