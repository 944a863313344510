/**
 * Device calls (issue 5): the state of the scanner, printer, drawer and
 * customer display for the status strip, IT staff's test actions, receipt
 * reprints through the print queue, and the print jobs with their reason.
 */
import { z } from 'zod';
import { method } from './define';
import { plainText } from './text';

export const linkStateSchema = z.enum(['closed', 'connecting', 'open', 'reconnecting']);

export const printJobSchema = z.object({
  id: z.string(),
  receiptNo: z.string(),
  kind: z.enum(['sale', 'refund', 'void', 'report', 'test']),
  state: z.enum(['queued', 'printing', 'waiting', 'done', 'failed']),
  /** why the job waits (or failed), one line for the cashier */
  reason: z.string().nullable(),
  attempts: z.number().int().min(0),
  copy: z.boolean(),
  /** the job this one reprints */
  reprintOf: z.string().nullable(),
  createdAt: z.string(),
  printedAt: z.string().nullable(),
});
export type PrintJobView = z.infer<typeof printJobSchema>;

export const devicesStatusSchema = z.object({
  scanner: z.object({ kind: z.enum(['serial', 'wedge']), target: z.string().nullable(), link: linkStateSchema.nullable(), message: z.string().nullable() }).nullable(),
  printer: z
    .object({
      target: z.string(),
      link: linkStateSchema,
      state: z.enum(['ready', 'paper-near-end', 'paper-out', 'cover-open', 'offline', 'error', 'disconnected', 'unknown']),
      message: z.string(),
      /** receipts not yet printed (queued, printing or waiting) */
      waitingJobs: z.number().int().min(0),
    })
    .nullable(),
  drawer: z.object({ kind: z.enum(['printer', 'serial']), state: z.enum(['open', 'closed', 'unknown']), waitForClose: z.boolean() }).nullable(),
  display: z.object({ target: z.string(), link: linkStateSchema }).nullable(),
  /** the jobs not yet printed, oldest first, each with its reason when waiting */
  waiting: z.array(printJobSchema),
});
export type DevicesStatusView = z.infer<typeof devicesStatusSchema>;

export const devicesMethods = {
  'devices.status': method({
    summary: 'scanner, printer, drawer and customer display state, and the receipts waiting to print',
    access: 'session',
    input: z.object({}).strict(),
    output: devicesStatusSchema,
  }),
  'devices.test': method({
    summary: 'a test print, a drawer opening (journaled) or a display test',
    access: 'devices.test',
    input: z.object({ action: z.enum(['print', 'drawer', 'display']) }).strict(),
    output: z.object({ action: z.enum(['print', 'drawer', 'display']), message: z.string() }),
  }),
  'receipt.reprint': method({
    summary: 'print a past receipt again as a marked copy (by receipt number), or a print job again (a waiting one is retried now)',
    access: 'sale.read',
    input: z.union([z.object({ receiptNo: plainText(z.string().min(1).max(64)) }).strict(), z.object({ jobId: plainText(z.string().min(1).max(64)) }).strict()]),
    output: z.object({ jobId: z.string(), receiptNo: z.string() }),
  }),
  'receipt.jobs': method({
    summary: 'the print jobs this terminal keeps (finished and waiting), newest first',
    access: 'sale.read',
    input: z.object({}).strict(),
    output: z.object({ jobs: z.array(printJobSchema) }),
  }),
};
