/**
 * End-to-end helpers: a fresh Debian Chromium through playwright-core, and a
 * build of the renderer into out/renderer when it is missing or older than
 * its sources (the lane server serves that build).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const OUTPUT = path.join(import.meta.dirname, 'output');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export async function ensureRendererBuilt(): Promise<void> {
  const index = path.join(ROOT, 'out/renderer/index.html');
  const newest = Math.max(...['src/renderer', 'src/shared', 'vite.renderer.config.mts'].map((p) => newestMtime(path.join(ROOT, p))));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newest) return;
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.mts'), logLevel: 'warn' });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile that is removed on close */
export async function launchChromium(viewport = { width: 1024, height: 768 }): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'till-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const screenshotPath = (name: string): string => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  return path.join(OUTPUT, `${name}.png`);
};
