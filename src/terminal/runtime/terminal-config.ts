/**
 * DATA/terminal.json: this till's own settings, the ones no hub sends (the
 * hub's store settings arrive through the catalog): the language the set-up
 * chose, and how the running terminal backs itself up. The file is optional;
 * a missing field takes its default. A file that cannot be read or does not
 * validate never stops the till: the defaults apply and the problem (naming
 * the field) is logged and shown by `till doctor`.
 */
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file';

export const TERMINAL_CONFIG_FILE = 'terminal.json';

export const backupPolicySchema = z
  .object({
    /** minutes between backups during business hours */
    everyMinutes: z.number().int().min(5).max(24 * 60).default(60),
    /** business hours in the store's time: from (inclusive) to (exclusive), whole hours */
    hours: z
      .object({ from: z.number().int().min(0).max(23), to: z.number().int().min(1).max(24) })
      .refine((h) => h.from < h.to, 'from must be before to')
      .default({ from: 7, to: 23 }),
    /** a backup right after every Z report (日结) */
    afterZ: z.boolean().default(true),
    /** backups kept in each folder */
    keep: z.number().int().min(1).max(1000).default(48),
    /** a second folder (a USB stick, a network share); when it is not there the till goes on and says so */
    secondPath: z.string().min(1).nullable().default(null),
  })
  .strict();
export type BackupPolicy = z.output<typeof backupPolicySchema>;

export const terminalConfigSchema = z
  .object({
    language: z.enum(['zh-CN', 'en']).nullable().default(null),
    backup: backupPolicySchema.default(backupPolicySchema.parse({})),
  })
  .strict();
export type TerminalConfig = z.output<typeof terminalConfigSchema>;
export type TerminalConfigInput = z.input<typeof terminalConfigSchema>;

export const DEFAULT_TERMINAL_CONFIG: TerminalConfig = terminalConfigSchema.parse({});

export interface TerminalConfigFile {
  file: string;
  /** the file's settings, or the defaults when it is missing or has a problem */
  config: TerminalConfig;
  exists: boolean;
  /** one line naming the file and the field, or null */
  problem: string | null;
}

/** reads DATA/terminal.json; never throws for its content */
export function readTerminalConfig(dataDir: string): TerminalConfigFile {
  const file = path.join(dataDir, TERMINAL_CONFIG_FILE);
  const r = readJsonFile(file);
  if (r.kind === 'missing') return { file, config: DEFAULT_TERMINAL_CONFIG, exists: false, problem: null };
  if (r.kind === 'problem') return { file, config: DEFAULT_TERMINAL_CONFIG, exists: true, problem: r.problem };
  const parsed = terminalConfigSchema.safeParse(r.json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    return { file, config: DEFAULT_TERMINAL_CONFIG, exists: true, problem: `${file}: ${i ? `${i.path.join('.') || '(top)'}: ${i.message}` : 'invalid'}` };
  }
  return { file, config: parsed.data, exists: true, problem: null };
}

/** writes `config` to DATA/terminal.json (0600, replaced atomically) */
export function writeTerminalConfig(dataDir: string, config: TerminalConfigInput): TerminalConfig {
  const checked = terminalConfigSchema.parse(config);
  writeJsonFile(path.join(dataDir, TERMINAL_CONFIG_FILE), checked);
  return checked;
}
