import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeDirFor, NATIVE_FILE, resolveNativeBinding, STAMP_FILE } from '../../src/main/native-binding';

const at = { electronVersion: '45.5.0', platform: 'linux', arch: 'x64' };

const dirs: string[] = [];
const tmp = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-native-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('resolveNativeBinding', () => {
  it('finds the development build under .native/electron-<platform>-<arch>, for this Electron only', () => {
    const root = tmp();
    const dir = nativeDirFor(root, 'linux', 'x64');
    expect(dir).toBe(path.join(root, '.native', 'electron-linux-x64'));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, NATIVE_FILE), '');
    expect(() => resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: root, ...at })).toThrow(/unknown version/);
    fs.writeFileSync(path.join(dir, STAMP_FILE), '44.0.0\n');
    expect(() => resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: root, ...at })).toThrow(/built for Electron 44\.0\.0, this is Electron 45\.5\.0/);
    fs.writeFileSync(path.join(dir, STAMP_FILE), '45.5.0\n');
    expect(resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: root, ...at })).toBe(path.join(dir, NATIVE_FILE));
  });

  it('finds the packaged copy under resources/native', () => {
    const res = tmp();
    fs.mkdirSync(path.join(res, 'native'));
    fs.writeFileSync(path.join(res, 'native', NATIVE_FILE), '');
    expect(resolveNativeBinding({ packaged: true, resourcesPath: res, projectRoot: '/nowhere', ...at })).toBe(path.join(res, 'native', NATIVE_FILE));
  });

  it('names the missing file and the command that builds it', () => {
    const root = tmp();
    expect(() => resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: root, ...at })).toThrow(/electron-native\.mjs/);
    expect(() => resolveNativeBinding({ packaged: true, resourcesPath: root, projectRoot: root, ...at })).toThrow(/reinstall Till/);
  });

  it('prefers an explicit override in development', () => {
    const d = tmp();
    const f = path.join(d, 'custom.node');
    fs.writeFileSync(f, '');
    expect(resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: '/nowhere', ...at, override: f })).toBe(f);
    expect(() => resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: '/nowhere', ...at, override: path.join(d, 'gone.node') })).toThrow(/TILL_NATIVE_BINDING/);
  });

  it('ignores the override in a packaged app: TILL_NATIVE_BINDING cannot make it load another library', () => {
    const d = tmp();
    const evil = path.join(d, 'evil.node');
    fs.writeFileSync(evil, '');
    fs.mkdirSync(path.join(d, 'native'));
    fs.writeFileSync(path.join(d, 'native', NATIVE_FILE), '');
    expect(resolveNativeBinding({ packaged: true, resourcesPath: d, projectRoot: '/nowhere', ...at, override: evil })).toBe(path.join(d, 'native', NATIVE_FILE));
  });
});
