/**
 * DATA/runtime-status.json: what a running terminal last knew about itself,
 * rewritten (atomically) when its devices or its hub connection change and
 * every few seconds, and removed on a clean stop. `till
 * doctor` reads it when the terminal is running, because then the devices
 * and the hub connection belong to the running process: a second opener
 * would fight it for the serial ports and the printer's socket. The file
 * holds no secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { devicesStatusSchema } from '../../shared/contract/devices';
import { backupHealthSchema, deviceHealthSchema } from '../../shared/replication';
import { writeJsonFile } from './json-file';

export const RUNTIME_STATUS_FILE = 'runtime-status.json';

export const runtimeStatusSchema = z.object({
  pid: z.number().int(),
  at: z.string(),
  appVersion: z.string(),
  devices: z.array(deviceHealthSchema),
  /** the devices' states as the status strip shows them, null without devices */
  devicesView: devicesStatusSchema.nullable(),
  sync: z
    .object({
      phase: z.string(),
      connected: z.boolean(),
      queueDepth: z.number().int().nonnegative(),
      lastError: z.string().nullable(),
      /** the last error's reason code (unauthenticated, revoked, offline, ...), null when none */
      reason: z.string().nullable(),
      /** when the hub last answered (a hello or an ack), null when never since the start */
      lastContactAt: z.string().nullable(),
    })
    .nullable(),
  backup: backupHealthSchema.nullable(),
});
export type RuntimeStatus = z.infer<typeof runtimeStatusSchema>;

export function writeRuntimeStatus(dataDir: string, s: RuntimeStatus): void {
  writeJsonFile(path.join(dataDir, RUNTIME_STATUS_FILE), s);
}

/** the running terminal's last status, or null when there is none (or it is unreadable) */
export function readRuntimeStatus(dataDir: string): RuntimeStatus | null {
  try {
    return runtimeStatusSchema.parse(JSON.parse(fs.readFileSync(path.join(dataDir, RUNTIME_STATUS_FILE), 'utf8')));
  } catch {
    return null;
  }
}

export function removeRuntimeStatus(dataDir: string, pid: number): void {
  if (readRuntimeStatus(dataDir)?.pid === pid) fs.rmSync(path.join(dataDir, RUNTIME_STATUS_FILE), { force: true });
}
