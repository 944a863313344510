#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/electron-<platform>-<arch>/
// without touching node_modules/better-sqlite3/build (the Node build that
// npm test and the till CLI load). better-sqlite3 is not N-API, so Electron
// needs its own binary; the main process hands its path to the ledger as
// `nativeBinding`, and electron-builder ships it as resources/native/.
//
// 1. prebuild-install --runtime electron in a temporary copy of the package
//    (downloads the official prebuilt binary; works for any target platform);
// 2. otherwise node-gyp rebuild in a temporary copy against Electron's headers
//    (same platform only). npm's `nodedir` setting (this machine's npm config
//    has nodedir=/usr) would make node-gyp use Node's headers and produce the
//    wrong ABI, so it is removed from the child's environment.
// A stamp file records the Electron version; an up-to-date build is reused.
//
// Usage: node scripts/electron-native.mjs [--platform P] [--arch A] [--electron VERSION] [--force]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(import.meta.dirname, '..');
const PKG = path.join(ROOT, 'node_modules', 'better-sqlite3');
export const NATIVE_FILE = 'better_sqlite3.node';
export const STAMP_FILE = 'electron-version';

export const nativeDir = (platform, arch) => path.join(ROOT, '.native', `electron-${platform}-${arch}`);
export const electronVersion = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;

/** the environment for a native build: npm's nodedir and build-from-source settings removed */
export function buildEnv(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    const key = k.toLowerCase();
    if (key === 'npm_config_nodedir' || key === 'nodedir' || key === 'npm_config_build_from_source') continue;
    out[k] = v;
  }
  return out;
}

function run(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ ok: false, out: `${out}${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, out });
    });
  });
}

/** the last meaningful line of a tool's output, for a one-line reason */
const lastLine = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^\s*at /.test(l))
    .at(-1) ?? 'no output';

/** node-gyp's real reason is on its first 'stack Error' line, not its last line */
function gypReason(text) {
  const get = /gyp http GET (\S+)/.exec(text)?.[1];
  if (/network connectivity|ENOTFOUND|ECONNREFUSED|ETIMEDOUT/.test(text)) return `could not download ${get ?? "Electron's headers"}`;
  const err = /gyp ERR! stack Error: (.*)/.exec(text)?.[1];
  return err ? err.trim() : lastLine(text);
}

function copyPackage(dest, withSources) {
  fs.mkdirSync(dest, { recursive: true });
  fs.copyFileSync(path.join(PKG, 'package.json'), path.join(dest, 'package.json'));
  if (withSources) {
    for (const part of ['binding.gyp', 'src', 'deps', 'lib']) fs.cpSync(path.join(PKG, part), path.join(dest, part), { recursive: true });
  }
}

async function viaPrebuild(tmp, t, env) {
  const dir = path.join(tmp, 'prebuild');
  copyPackage(dir, false);
  const bin = path.join(ROOT, 'node_modules/prebuild-install/bin.js');
  const args = [bin, '--runtime', 'electron', '--target', t.electron, '--platform', t.platform, '--arch', t.arch, '--verbose'];
  const r = await run(process.execPath, args, { cwd: dir, env, timeoutMs: 180_000 });
  const file = path.join(dir, 'build/Release', NATIVE_FILE);
  return r.ok && fs.existsSync(file) ? { file } : { reason: `prebuilt download failed: ${lastLine(r.out)}` };
}

async function viaNodeGyp(tmp, t, env) {
  if (t.platform !== process.platform) return { reason: `cannot compile for ${t.platform} on ${process.platform}` };
  const dir = path.join(tmp, 'gyp');
  copyPackage(dir, true);
  const gyp = path.join(ROOT, 'node_modules/node-gyp/bin/node-gyp.js');
  const args = [gyp, 'rebuild', '--release', `--target=${t.electron}`, `--arch=${t.arch}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers', `--devdir=${path.join(ROOT, '.native', 'gyp')}`];
  const r = await run(process.execPath, args, { cwd: dir, env, timeoutMs: 600_000 });
  const file = path.join(dir, 'build/Release', NATIVE_FILE);
  return r.ok && fs.existsSync(file) ? { file } : { reason: `compiling against Electron's headers failed: ${gypReason(r.out)}` };
}

/**
 * Makes sure .native/electron-<platform>-<arch>/better_sqlite3.node exists for
 * this Electron. Returns {file, how}; throws an Error with a one-line reason.
 */
export async function ensureElectronNative(opts = {}) {
  const t = { electron: opts.electron ?? electronVersion(), platform: opts.platform ?? process.platform, arch: opts.arch ?? process.arch };
  const log = opts.log ?? (() => undefined);
  const dir = nativeDir(t.platform, t.arch);
  const target = path.join(dir, NATIVE_FILE);
  const stamp = path.join(dir, STAMP_FILE);
  if (!opts.force && fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === t.electron) {
    return { file: target, how: 'up to date' };
  }
  const before = fs.existsSync(path.join(PKG, 'build/Release', NATIVE_FILE)) ? fs.statSync(path.join(PKG, 'build/Release', NATIVE_FILE)).mtimeMs : null;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'till-native-'));
  const env = buildEnv();
  try {
    log(`building better-sqlite3 for Electron ${t.electron} (${t.platform}-${t.arch})`);
    const reasons = [];
    for (const [how, step] of [
      ['prebuilt', viaPrebuild],
      ['compiled', viaNodeGyp],
    ]) {
      const r = await step(tmp, t, env);
      if (r.file) {
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(r.file, `${target}.tmp`);
        fs.renameSync(`${target}.tmp`, target);
        fs.writeFileSync(stamp, `${t.electron}\n`);
        return { file: target, how };
      }
      reasons.push(r.reason);
      log(r.reason);
    }
    throw new Error(`could not build better-sqlite3 for Electron ${t.electron}: ${reasons.join('; ')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    const after = fs.existsSync(path.join(PKG, 'build/Release', NATIVE_FILE)) ? fs.statSync(path.join(PKG, 'build/Release', NATIVE_FILE)).mtimeMs : null;
    if (after !== before) throw new Error('node_modules/better-sqlite3/build changed during the Electron build: run npm rebuild better-sqlite3');
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { platform: { type: 'string' }, arch: { type: 'string' }, electron: { type: 'string' }, force: { type: 'boolean' } } });
  ensureElectronNative({ ...values, log: (l) => console.log(`electron-native: ${l}`) }).then(
    (r) => console.log(`electron-native: ${path.relative(ROOT, r.file)} (${r.how})`),
    (e) => {
      console.error(`electron-native: ${e.message}`);
      process.exitCode = 1;
    },
  );
}
