/**
 * electron-builder.yml checked offline with electron-builder's own loader and
 * validator (app-builder-lib's getConfig + validateConfiguration, which run
 * ajv over its scheme.json), plus the properties Till relies on.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface FileSet {
  from?: string;
  to?: string;
}
interface Target {
  target: string;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  npmRebuild?: boolean;
  asarUnpack?: string[];
  publish?: { provider: string; url: string };
  win?: { icon?: string; target?: Target[]; extraResources?: FileSet[] };
  mac?: { icon?: string; target?: Target[]; extraResources?: FileSet[] };
  linux?: { icon?: string; target?: Target[]; extraResources?: FileSet[] };
  [key: string]: unknown;
}

const builderConfig = require(path.join(ROOT, 'node_modules/app-builder-lib/out/util/config/config.js')) as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: BuilderConfig | null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require(path.join(ROOT, 'node_modules/builder-util')) as { DebugLogger: new (enabled: boolean) => unknown };

const validate = (c: BuilderConfig): Promise<void> => builderConfig.validateConfiguration(c, new DebugLogger(false));

let config: BuilderConfig;
beforeAll(async () => {
  config = await builderConfig.getConfig(ROOT, path.join(ROOT, 'electron-builder.yml'), null);
});

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('the validator does reject a wrong file', async () => {
    await expect(validate({ ...config, nsisTarget: true })).rejects.toThrow(/unknown property 'nsisTarget'/);
    await expect(validate({ ...config, npmRebuild: 'never' as unknown as boolean })).rejects.toThrow(/npmRebuild/);
  });

  it('names the app and builds every target the stores use', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+)+$/);
    expect(config.productName).toBe('Till');
    expect(config.win?.target?.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac?.target?.map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux?.target?.map((t) => t.target).sort()).toEqual(['AppImage', 'deb']);
  });

  it('never rebuilds node_modules in place and ships the Electron-ABI SQLite binary unpacked', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.asarUnpack).toContain('**/*.node');
    for (const [os, platform] of [
      ['win', 'win32'],
      ['mac', 'darwin'],
      ['linux', 'linux'],
    ] as const) {
      expect(config[os]?.extraResources).toEqual([{ from: `.native/electron-${platform}-\${arch}/better_sqlite3.node`, to: 'native/better_sqlite3.node' }]);
    }
  });

  it('flips the Electron fuses: no RunAsNode, NODE_OPTIONS or --inspect; asar only and its integrity checked; cookies encrypted', async () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    expect(config.asar).toBe(true);
    await expect(validate({ ...config, electronFuses: { runAsNode: 'no' } })).rejects.toThrow(/runAsNode/);
  });

  it('leaves the update feed configurable and holds no secrets', () => {
    expect(config.publish).toMatchObject({ provider: 'generic', url: '${env.TILL_UPDATE_URL}' });
    const text = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');
    const keys = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
    expect(keys.join('\n')).not.toMatch(/cscLink|cscKeyPassword|certificatePassword|appleIdPassword|password:/i);
  });

  it('points at icons that exist and are large enough', () => {
    for (const icon of [config.win?.icon, config.mac?.icon]) {
      expect(icon).toBeDefined();
      const png = PNG.sync.read(fs.readFileSync(path.join(ROOT, icon ?? '')));
      expect(png.width).toBeGreaterThanOrEqual(512);
      expect(png.height).toBe(png.width);
    }
    const dir = path.join(ROOT, config.linux?.icon ?? '');
    const sizes = fs
      .readdirSync(dir)
      .map((f) => /^(\d+)x\1\.png$/.exec(f)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 64, 128, 256, 512]));
  });
});
