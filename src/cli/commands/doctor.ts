/**
 * `till doctor --data DIR [--json] [--full]`: the checks of src/cli/doctor.ts,
 * one line each (status, name, sentence, and the fix under it), or
 * {"ok", "checks": [{name, status, message, fix?}]} with --json. Exit 0 when
 * nothing failed (warnings included), 1 when a check failed.
 */
import { parseArgs } from 'node:util';
import { readTerminalConfig } from '../../terminal/index';
import { runDoctor } from '../doctor';
import { EXIT, UsageError, type Command } from '../io';
import { cliLanguage, displayWidth, duration, isLang, padDisplay, t } from '../messages';

const command: Command = {
  summary: 'check a till: ledger, disk, permissions, backups, devices, hub, TLS, token, clock, replication, time zone, business days',
  usage: 'till doctor --data DIR [--json] [--full] [--lang zh-CN|en] [--timeout SECONDS]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { data: { type: 'string' }, json: { type: 'boolean', default: false }, full: { type: 'boolean', default: false }, lang: { type: 'string' }, timeout: { type: 'string' } },
    });
    if (!values.data) throw new UsageError('--data is required');
    if (values.lang !== undefined && !isLang(values.lang)) throw new UsageError(`--lang is zh-CN or en (got '${values.lang}')`);
    const timeoutS = values.timeout === undefined ? 5 : Number(values.timeout);
    if (!(timeoutS > 0 && timeoutS <= 120)) throw new UsageError(`--timeout is a number of seconds up to 120 (got '${values.timeout}')`);
    const lang = cliLanguage(values.lang, readTerminalConfig(values.data).config.language);
    const r = await runDoctor({ dir: values.data, lang, full: values.full, timeoutMs: timeoutS * 1000 });
    if (values.json) {
      io.out(JSON.stringify({ ok: r.ok, checks: r.checks }, null, 2) + '\n');
      return r.ok ? EXIT.ok : EXIT.failed;
    }
    io.out(`${r.identity ? t(lang, 'doctor.title', { dir: values.data, ...r.identity }) : t(lang, 'doctor.titleNoLedger', { dir: values.data })}\n`);
    if (r.running) io.out(`${t(lang, 'doctor.running', { pid: r.running.pid, age: duration(lang, r.running.ageMs) })}\n`);
    const width = Math.max(...r.checks.map((c) => c.name.length));
    const statusWidth = Math.max(...(['ok', 'warn', 'fail'] as const).map((s) => displayWidth(t(lang, `status.${s}`))));
    for (const c of r.checks) {
      io.out(`${padDisplay(t(lang, `status.${c.status}`), statusWidth)}  ${c.name.padEnd(width)}  ${c.message}\n`);
      if (c.fix) io.out(`${' '.repeat(statusWidth + width + 4)}${t(lang, 'doctor.fix', { fix: c.fix })}\n`);
    }
    const count = (s: string) => r.checks.filter((c) => c.status === s).length;
    const summary = count('fail') ? t(lang, 'doctor.summary.fail', { fail: count('fail'), warn: count('warn') }) : count('warn') ? t(lang, 'doctor.summary.warn', { warn: count('warn') }) : t(lang, 'doctor.summary.ok', { n: r.checks.length });
    io.out(`${summary}\n`);
    return r.ok ? EXIT.ok : EXIT.failed;
  },
};
export default command;
