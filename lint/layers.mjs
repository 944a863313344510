// The layer rule of DESIGN.md section 1: which folder may import which.
// Every import is resolved to a file path, mapped to its layer, and checked
// against the table below; a bad import is reported with both layer names.
import path from 'node:path';
import { builtinModules } from 'node:module';

const ROOT = path.resolve(import.meta.dirname, '..');

/** layer -> layers it may import (its own layer is always allowed) */
export const ALLOWED = {
  shared: [],
  core: ['shared'],
  drivers: ['shared'],
  db: ['shared'],
  ledger: ['shared', 'core', 'db'],
  sync: ['shared', 'core'],
  terminal: ['shared', 'core', 'ledger', 'sync', 'drivers'],
  main: ['shared', 'core', 'ledger', 'sync', 'drivers', 'terminal'],
  cli: ['shared', 'core', 'db', 'ledger', 'sync', 'drivers', 'terminal', 'hub'],
  preload: ['shared'],
  renderer: ['shared'],
  hub: ['shared', 'core', 'db'],
  'hub-web': ['shared'],
};

/** layers that must not touch Node built-ins (they run in a browser or are pure) */
export const NO_NODE = new Set(['shared', 'core', 'renderer', 'hub-web', 'preload']);
/** the only layers that may import electron */
export const ELECTRON = new Set(['main', 'preload']);

export function layerOf(file) {
  // a folder import ('../drivers') names the folder itself: treat it as its index
  const rel = path.relative(ROOT, file).split(path.sep).join('/') + '/';
  if (rel.startsWith('drivers/')) return 'drivers';
  if (rel.startsWith('src/hub/web/')) return 'hub-web';
  const m = /^src\/([^/]+)\//.exec(rel);
  if (m && m[1] in ALLOWED) return m[1];
  return null;
}

const isBuiltin = (spec) => spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]);

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the layer table of DESIGN.md' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec === 'electron' || spec.startsWith('electron/')) {
        if (!ELECTRON.has(from)) context.report({ node, message: `layer '${from}' may not import electron (only main and preload may)` });
        return;
      }
      if (isBuiltin(spec)) {
        if (NO_NODE.has(from)) context.report({ node, message: `layer '${from}' may not import the Node built-in '${spec}'` });
        return;
      }
      if (!spec.startsWith('.')) return;
      const target = layerOf(path.resolve(path.dirname(file), spec));
      if (!target) {
        context.report({ node, message: `layer '${from}' imports '${spec}', which is outside every layer` });
        return;
      }
      if (target === from) return;
      if (!ALLOWED[from].includes(target)) {
        context.report({ node, message: `layer '${from}' may not import layer '${target}' ('${spec}'); allowed: ${ALLOWED[from].join(', ') || 'nothing of ours'}` });
      }
    }
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') check(n, n.arguments[0].value);
      },
    };
  },
};

export default { rules: { layers: rule } };
