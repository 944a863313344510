#!/usr/bin/env node
// npm start: the cashier app on this computer, with no manual step.
//
// With the Electron binary (electron 45 downloads it on first use): seeds the
// development data directory (TILL_DATA, default .till-data) with the demo
// catalog, builds better-sqlite3 for Electron's ABI into .native/ (never
// touching node_modules, whose Node build npm test uses), builds main,
// preload and renderer with electron-vite, and opens the window.
//
// Where the binary cannot be downloaded (no internet) or the SQLite driver
// for Electron cannot be built, it says so in one line and starts the
// headless terminal with the lane server instead, printing the URL where a
// browser gets the same cashier UI:  "Cashier UI: http://127.0.0.1:4780/".
//
// Environment: TILL_DATA (data directory), TILL_LANE_HOST (default 127.0.0.1;
// any other address is served over HTTPS with the lane's own certificate, and
// needs the pairing code and certificate fingerprint printed), TILL_LANE_PORT (default
// 4780; 0 picks a free port), TILL_HEADLESS=1 (skip Electron).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureElectronNative } from './electron-native.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const ELECTRON_DIR = path.join(ROOT, 'node_modules', 'electron');
const dataDir = path.resolve(ROOT, process.env.TILL_DATA || '.till-data');
const say = (line) => console.log(`till: ${line}`);

const firstLine = (text) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at ')) ?? 'no reason given';

/** the Electron executable if it is on disk, without downloading (unlike require('electron')) */
function electronBinary() {
  let rel = null;
  try {
    rel = fs.readFileSync(path.join(ELECTRON_DIR, 'path.txt'), 'utf8');
  } catch {
    rel = null;
  }
  const base = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(ELECTRON_DIR, 'dist');
  const file = path.join(base, rel || (process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron'));
  return fs.existsSync(file) ? file : null;
}

/** downloads the Electron binary with the electron package's own installer; resolves {file} or {reason} */
function ensureElectron() {
  const have = electronBinary();
  if (have) return Promise.resolve({ file: have });
  say('downloading the Electron binary (first start only)...');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ELECTRON_DIR, 'install.js')], { cwd: ELECTRON_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ reason: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const file = electronBinary();
      resolve(code === 0 && file ? { file } : { reason: code === null ? 'the download took too long' : firstLine(out).replace(/^\w*Error: /, '') });
    });
  });
}

/** loads our TypeScript modules in this process, with the same loader hooks as bin/till.cjs */
async function loadTs(rel) {
  const require = createRequire(import.meta.url);
  require('tsx/cjs');
  await import('tsx/esm');
  return require(path.join(ROOT, rel));
}

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

/** builds out/renderer when it is missing or older than its sources */
async function ensureRenderer() {
  const index = path.join(ROOT, 'out/renderer/index.html');
  const sources = ['src/renderer', 'src/shared', 'vite.renderer.config.mts'].map((p) => newestMtime(path.join(ROOT, p)));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= Math.max(...sources)) return;
  say('building the cashier UI...');
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.mts'), logLevel: 'warn' });
}

function run(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', env });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (e) => {
      say(e.message);
      resolve(1);
    });
    child.on('close', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}

async function startWindow(electron) {
  const demo = await loadTs('scripts/demo-terminal.ts');
  demo.prepareDemoData(dataDir, say);
  for (const line of demo.staffLines()) say(line);
  let native;
  try {
    native = await ensureElectronNative({ log: say });
  } catch (e) {
    say(`${e.message}.`);
    return null;
  }
  say(`SQLite driver for Electron: ${path.relative(ROOT, native.file)} (${native.how})`);
  const built = await run(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
  if (built !== 0) return built;
  const sims = await demo.devicesForWindow(dataDir, say);
  say(`opening the window (data in ${dataDir})`);
  try {
    return await run(electron, ['.'], { ...process.env, TILL_DATA: dataDir, TILL_NATIVE_BINDING: native.file });
  } finally {
    await sims?.stop();
  }
}


async function startHeadless() {
  const host = process.env.TILL_LANE_HOST || '127.0.0.1';
  const portText = process.env.TILL_LANE_PORT ?? '4780';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    say(`TILL_LANE_PORT must be a port number (0-65535), got '${portText}'`);
    return 2;
  }
  await ensureRenderer();
  const demo = await loadTs('scripts/demo-terminal.ts');
  const t = await demo.startDemoTerminal({ dataDir, host, port, log: say });
  say(`headless terminal running (data in ${dataDir}); press Ctrl+C to stop`);
  // the URL carries this launch's lane secret in its fragment; a browser opened by hand without it pairs with the code
  console.log(`Cashier UI: ${t.server.url}`);
  console.log(`Pairing code: ${t.server.pairingCode}`);
  // off loopback the lane speaks HTTPS with its own certificate: a tablet compares this with what its browser shows
  if (t.server.certificate) console.log(`Certificate SHA-256: ${t.server.certificate.fingerprint}`);
  return new Promise((resolve) => {
    const stop = () => {
      t.close().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function main() {
  if (process.env.TILL_HEADLESS !== '1') {
    const electron = await ensureElectron();
    if (electron.file) {
      const code = await startWindow(electron.file);
      if (code !== null) return code;
      say('starting the headless terminal instead; the cashier UI opens in a browser.');
    } else {
      say(`the Electron binary could not be downloaded (${electron.reason}).`);
      say('starting the headless terminal instead; the cashier UI opens in a browser.');
    }
  }
  return startHeadless();
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    say(e instanceof Error ? e.message : String(e));
    if (process.env.TILL_DEBUG === '1' && e instanceof Error) console.error(e.stack);
    process.exitCode = 1;
  },
);
