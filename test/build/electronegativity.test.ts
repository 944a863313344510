/**
 * @doyensec/electronegativity over the Electron side of the app (src/main,
 * src/preload, src/renderer) for Electron 45.5.0: any HIGH or MEDIUM finding
 * fails, unless it is listed with its reason in electronegativity-accepted.json
 * (empty today). A canary window with nodeIntegration on is scanned in the same
 * run, so a scan that silently checked nothing fails too.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'node_modules/@doyensec/electronegativity/dist/index.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'till-eneg-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Finding {
  issue: string;
  severity: string;
  file: string;
}

/** the CSV electronegativity writes: issue, severity, confidence, filename, location, ... (quoted fields) */
function parseCsv(text: string): Finding[] {
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const cells = l.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '')) ?? [];
      return { issue: cells[0] ?? '', severity: cells[1] ?? '', file: cells[3] ?? '' };
    });
}

describe('electronegativity', () => {
  it('finds no new high or medium issue in main, preload and renderer', async () => {
    const input = path.join(work, 'app');
    for (const part of ['main', 'preload', 'renderer']) fs.cpSync(path.join(ROOT, 'src', part), path.join(input, part), { recursive: true });
    fs.mkdirSync(path.join(input, 'canary'));
    fs.writeFileSync(
      path.join(input, 'canary', 'bad-window.js'),
      "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
    );
    const csv = path.join(work, 'findings.csv');
    await promisify(execFile)(process.execPath, [BIN, '-i', input, '-e', '45.5.0', '-o', csv, '-r', '-v', 'false'], { cwd: work, timeout: 120_000 });
    const findings = parseCsv(fs.readFileSync(csv, 'utf8')).filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
    const accepted = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'electronegativity-accepted.json'), 'utf8')) as Array<{ issue: string; file: string; why: string }>;
    const isAccepted = (f: Finding) => accepted.some((a) => a.issue === f.issue && a.file === f.file);
    const canary = findings.filter((f) => f.file.startsWith('canary'));
    expect(canary.map((f) => f.issue).sort()).toEqual(['AUXCLICK_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK']);
    expect(findings.filter((f) => !f.file.startsWith('canary') && !isAccepted(f))).toEqual([]);
  }, 150_000);
});
