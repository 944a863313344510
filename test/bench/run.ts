/**
 * `npm run bench -- [suite ...] [--json] [--quick]`: runs the named suites
 * (all when none is named), prints a table per suite, and with --json one
 * JSON document with every figure on stdout (the tables then go to stderr).
 */
import { meetsTarget, type BenchRow, type BenchSuite } from './harness';

const SUITES: Record<string, () => Promise<BenchSuite>> = {};

export function registerSuites(map: Record<string, () => Promise<BenchSuite>>): void {
  Object.assign(SUITES, map);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const quick = args.includes('--quick');
  const names = args.filter((a) => !a.startsWith('--'));
  const { suites } = await import('./suites');
  registerSuites(suites);
  const chosen = names.length ? names : Object.keys(SUITES);
  const unknown = chosen.filter((n) => !SUITES[n]);
  if (unknown.length) {
    process.stderr.write(`bench: unknown suite(s) ${unknown.join(', ')}; known: ${Object.keys(SUITES).join(', ')}\n`);
    return 2;
  }
  const say = (line: string) => (json ? process.stderr : process.stdout).write(line + '\n');
  const report: Record<string, Array<BenchRow & { pass: boolean | null }>> = {};
  let allPass = true;
  for (const name of chosen) {
    const suite = await (SUITES[name] as () => Promise<BenchSuite>)();
    say(`\n== ${suite.name}: ${suite.summary}`);
    const rows = await suite.run({ quick, log: (l) => process.stderr.write(`  … ${l}\n`) });
    const marked = rows.map((r) => ({ ...r, pass: meetsTarget(r.value, r.target) }));
    report[name] = marked;
    const w = Math.max(...marked.map((r) => r.metric.length), 6);
    say(`${'metric'.padEnd(w)}  ${'value'.padStart(14)}  ${'unit'.padEnd(10)}  target`);
    for (const r of marked) {
      if (r.pass === false) allPass = false;
      const v = Number.isInteger(r.value) ? String(r.value) : r.value.toFixed(3);
      const mark = r.pass === null ? '' : r.pass ? '  ok' : '  MISSED';
      say(`${r.metric.padEnd(w)}  ${v.padStart(14)}  ${r.unit.padEnd(10)}  ${r.target ?? ''}${mark}`);
    }
  }
  if (json) process.stdout.write(JSON.stringify({ machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, suites: report }, null, 2) + '\n');
  return allPass ? 0 : 1;
}

main().then((code) => process.exit(code), (e) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(3);
});
