/**
 * Child process of the sale benchmark: opens the terminal in argv[2] cold (a
 * fresh process) and answers one barcode lookup (ready to scan), then builds
 * the search index and runs one search. Prints one JSON line with the times
 * and the peak RSS.
 */
import { createTerminal } from '../../src/terminal/index';

const [dir, barcode] = process.argv.slice(2) as [string, string];
const sinceStart = () => performance.now();
const loaded = sinceStart();
const t0 = performance.now();
const terminal = createTerminal({ dataDir: dir });
const found = terminal.catalog.byBarcode(barcode);
const readyMs = performance.now() - t0;
const readyFromStartMs = sinceStart();
if (!found) throw new Error(`barcode ${barcode} not found after open`);
const rssAtReady = process.memoryUsage().rss;
const s0 = performance.now();
const hits = terminal.catalog.search('nfsq', 20).length;
const searchBuildMs = performance.now() - s0;
terminal.close();
process.stdout.write(
  JSON.stringify({ readyMs, readyFromStartMs, moduleLoadMs: loaded, rssAtReady, searchBuildMs, hits, peakRss: process.resourceUsage().maxRSS * 1024 }) + '\n',
);
