/**
 * The renderer's build, shared by electron.vite.config.ts (the Electron
 * window) and by the lane server's build (the same files served to a
 * browser): one bundle in out/renderer with relative asset paths, so it loads
 * from file:// and from http:// alike. In dev the CSP meta tag is relaxed
 * for the dev server's hot-reload preamble; a build keeps it strict.
 */
import path from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { contentSecurityPolicy } from './src/shared/csp.js';

const root = path.resolve(import.meta.dirname, 'src/renderer');
export const RENDERER_OUT = path.resolve(import.meta.dirname, 'out/renderer');

function cspMeta(): Plugin {
  return {
    name: 'till-csp-meta',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const csp = ctx.server ? contentSecurityPolicy({ devServer: true, connect: ['ws:'] }) : contentSecurityPolicy();
        return html.replace(/(<meta http-equiv="Content-Security-Policy" content=")[^"]*(")/, `$1${csp}$2`);
      },
    },
  };
}

export function rendererConfig(): UserConfig {
  return {
    root,
    base: './',
    plugins: [react(), cspMeta()],
    build: {
      outDir: RENDERER_OUT,
      emptyOutDir: true,
      target: 'chrome120',
      rollupOptions: { input: path.join(root, 'index.html') },
    },
  };
}

export default rendererConfig();
