// The dependency rules of DESIGN.md section 1, checked by dependency-cruiser
// over src/ and drivers/ (part of `npm run lint`):
// - the layer table (lint/layers.mjs, which the ESLint rule also reads);
// - which npm packages each layer may import (PACKAGES below; anything else,
//   a type-only import included, fails);
// - Node built-ins only in the layers that run on Node;
// - no import cycle, type-only imports included (tsPreCompilationDeps);
// - nothing that does not resolve.
// dependency-cruiser 18's CLI refuses Node 20 (its engine check), so this
// script drives its JavaScript API, which runs on Node 20.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cruise } from 'dependency-cruiser';
import { ALLOWED, ELECTRON, NO_NODE } from './layers.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');

/** layer -> the npm packages it may import (their @types packages come with them) */
export const PACKAGES = {
  shared: ['zod'],
  core: ['zod', 'pinyin-pro'],
  drivers: ['zod', 'iconv-lite', 'pngjs', 'qrcode', 'serialport', 'ulid', 'usb'],
  db: ['better-sqlite3'],
  ledger: ['better-sqlite3', 'ulid', 'zod'],
  sync: ['better-sqlite3', 'socket.io-client', 'zod'],
  // pino-roll and pino-pretty: the one pino set-up (runtime/logging.ts) that the CLI and the Electron main process create their logs with
  terminal: ['better-sqlite3', 'iconv-lite', 'socket.io', 'zod', '@node-rs/argon2', 'alipay-sdk', 'fast-xml-parser', 'pino', 'pino-roll', 'pino-pretty'],
  main: ['electron', 'electron-updater'],
  cli: ['better-sqlite3', 'zod', 'pino', 'pino-pretty', 'pino-roll'],
  preload: ['electron'],
  // vite: only its client types (import.meta.env), referenced by env.d.ts
  renderer: ['i18next', 'qrcode', 'react', 'react-dom', 'react-i18next', 'socket.io-client', 'zod', 'vite'],
  hub: [
    'better-sqlite3',
    'pg',
    'socket.io',
    '@socket.io/postgres-adapter',
    '@socket.io/redis-adapter',
    'redis',
    'zod',
    'fastify',
    '@fastify/cookie',
    '@fastify/csrf-protection',
    '@fastify/helmet',
    '@fastify/rate-limit',
    '@fastify/static',
    '@node-rs/argon2',
    'iconv-lite',
    'pino',
    'pino-pretty',
    'pino-roll',
    'prom-client',
    'exceljs',
  ],
  'hub-web': ['react', 'react-dom', 'react-router', '@tanstack/react-query', 'echarts', 'echarts-for-react', 'i18next', 'react-i18next', 'zod', 'vite'],
};

/** where each layer's files are (src/hub/web is the hub's browser console, a layer of its own) */
export const LAYER_PATHS = {
  drivers: '^drivers/',
  'hub-web': '^src/hub/web/',
  hub: '^src/hub/(?!web/)',
  ...Object.fromEntries(Object.keys(ALLOWED).filter((l) => l !== 'drivers' && !l.startsWith('hub')).map((l) => [l, `^src/${l}/`])),
};

const NPM = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown'];
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** the npm package a resolved path is in ('@scope/name' or 'name'), or null */
function packageOf(resolved) {
  const m = /(?:^|\/)node_modules\/((?:@types\/)?(?:@[^/]+\/)?[^/]+)/.exec(resolved);
  return m ? m[1] : null;
}

/** the rule set, built from the tables above */
export function ruleSet() {
  const forbidden = [
    {
      name: 'no-cycle',
      comment: 'modules that import each other (type-only imports count): move the shared part into a leaf',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    { name: 'not-to-unresolvable', comment: 'an import that resolves to nothing', severity: 'error', from: {}, to: { couldNotResolve: true } },
  ];
  for (const [layer, from] of Object.entries(LAYER_PATHS)) {
    const own = [layer, ...ALLOWED[layer]].map((l) => LAYER_PATHS[l]);
    forbidden.push({
      name: `layer-${layer}`,
      comment: `layer '${layer}' may import only ${ALLOWED[layer].join(', ') || 'nothing of ours'}`,
      severity: 'error',
      from: { path: from },
      to: { path: '^(src|drivers)/', pathNot: own },
    });
    const allowed = [...PACKAGES[layer], ...(ELECTRON.has(layer) ? ['electron'] : [])];
    forbidden.push({
      name: `packages-${layer}`,
      comment: `layer '${layer}' may import the packages ${allowed.join(', ') || '(none)'}`,
      severity: 'error',
      from: { path: from },
      to: { dependencyTypes: NPM, pathNot: `(^|/)node_modules/(@types/)?(${allowed.map(escape).join('|')})/` },
    });
    if (NO_NODE.has(layer)) {
      forbidden.push({ name: `node-${layer}`, comment: `layer '${layer}' runs in a browser or is pure: no Node built-ins`, severity: 'error', from: { path: from }, to: { dependencyTypes: ['core'] } });
    }
  }
  return { forbidden };
}

/** the violations in `targets` (folders or files, relative to baseDir), one line each */
export async function checkDependencies({ baseDir = ROOT, targets = ['src', 'drivers'] } = {}) {
  const result = await cruise(
    targets,
    {
      baseDir,
      validate: true,
      ruleSet: ruleSet(),
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '\\.(css|html|png|svg)$' },
      tsConfig: { fileName: path.join(ROOT, 'tsconfig.json') },
    },
    { extensions: ['.ts', '.tsx', '.mts', '.js', '.mjs', '.cjs', '.json', '.d.ts'] },
  );
  const { violations, totalCruised } = result.output.summary;
  const lines = violations.map((v) => {
    if (v.cycle?.length) return `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')}`;
    return `${v.rule.name}: ${v.from} -> ${packageOf(v.to) ?? v.to}`;
  });
  return { lines, modules: totalCruised };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { lines, modules } = await checkDependencies();
  if (lines.length) {
    process.stderr.write(`dependency rules: ${lines.length} problem(s) in ${modules} modules\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`dependency rules: ${modules} modules, no layer, package or cycle problem\n`);
  }
}
