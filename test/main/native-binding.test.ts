import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nativeDirFor, NATIVE_FILE, resolveNativeBinding } from '../../src/main/native-binding';

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
  it('finds the development build under .native/electron-<version>', () => {
    const root = tmp();
    const dir = nativeDirFor(root, '45.5.0');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, NATIVE_FILE), '');
    expect(resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: root, electronVersion: '45.5.0' })).toBe(path.join(dir, NATIVE_FILE));
  });

  it('finds the packaged copy under resources/native', () => {
    const res = tmp();
    fs.mkdirSync(path.join(res, 'native'));
    fs.writeFileSync(path.join(res, 'native', NATIVE_FILE), '');
    expect(resolveNativeBinding({ packaged: true, resourcesPath: res, projectRoot: '/nowhere', electronVersion: '45.5.0' })).toBe(path.join(res, 'native', NATIVE_FILE));
  });

  it('names the missing file and the command that builds it', () => {
    const root = tmp();
    expect(() => resolveNativeBinding({ packaged: false, resourcesPath: '/nowhere', projectRoot: root, electronVersion: '45.5.0' })).toThrow(/electron-native\.mjs/);
    expect(() => resolveNativeBinding({ packaged: true, resourcesPath: root, projectRoot: root, electronVersion: '45.5.0' })).toThrow(/reinstall Till/);
  });

  it('prefers an explicit override', () => {
    const d = tmp();
    const f = path.join(d, 'custom.node');
    fs.writeFileSync(f, '');
    expect(resolveNativeBinding({ packaged: true, resourcesPath: '/nowhere', projectRoot: '/nowhere', electronVersion: '45.5.0', override: f })).toBe(f);
  });
});
