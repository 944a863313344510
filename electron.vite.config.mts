/**
 * The three builds of the Electron app. Main and preload are CommonJS
 * (package.json has no "type": "module"), so the preload is emitted as .js,
 * which a sandboxed preload requires; the preload bundles everything it uses
 * (a sandboxed preload can require only 'electron'). The renderer config is
 * shared with the lane server's build (vite.renderer.config.mts).
 */
import path from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.mjs';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: path.resolve(import.meta.dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: path.resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: rendererConfig(),
});
