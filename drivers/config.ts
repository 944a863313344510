/**
 * The terminal's devices config, validated with zod. A bad config is refused
 * with a config-invalid error that names the field (e.g. "printer.width").
 */
import { z } from 'zod';
import { TillError } from '../src/shared/errors';
import { connectorFromUri } from './transport';

const address = z.string().min(1).superRefine((v, ctx) => {
  try {
    connectorFromUri(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
  }
});

const baudRate = z.number().int().positive().default(9600);

export const devicesConfigSchema = z
  .object({
    scanner: z
      .discriminatedUnion('kind', [
        z.object({
          kind: z.literal('serial'),
          path: z.string().min(1),
          baudRate,
          suffix: z.enum(['CR', 'LF', 'CRLF', 'none']).default('CR'),
          interByteTimeoutMs: z.number().int().positive().max(2000).default(50),
          minLength: z.number().int().min(1).max(64).default(3),
          maxLength: z.number().int().min(1).max(256).default(64),
          allowGs1: z.boolean().default(false),
        }),
        /** a keyboard-wedge scanner is read by the renderer (src/shared/wedge.ts); listed here so the UI knows */
        z.object({ kind: z.literal('wedge'), maxGapMs: z.number().positive().max(200).default(30), minLength: z.number().int().min(1).default(4) }),
      ])
      .optional(),
    printer: z
      .object({
        /** tcp://HOST:PORT, serial:PATH, usb:/dev/usb/lpN or usb:VID:PID */
        address,
        width: z.union([z.literal(58), z.literal(80)]).default(80),
        /** a PNG for the receipt's logo block; without it a wordmark is printed */
        logo: z.string().min(1).optional(),
        statusTimeoutMs: z.number().int().positive().max(10_000).default(600),
        retryMs: z.number().int().positive().default(2000),
        spoolDir: z.string().min(1).optional(),
      })
      .optional(),
    drawer: z
      .object({
        kind: z.enum(['printer', 'serial']),
        path: z.string().min(1).optional(),
        baudRate,
        openLevel: z.enum(['low', 'high']).default('low'),
        /** the drawer's switch is wired (DLE EOT 1 bit 2 means something) */
        reportsState: z.boolean().default(true),
        /** the next sale waits until the drawer is closed */
        waitForClose: z.boolean().default(false),
      })
      .superRefine((d, ctx) => {
        if (d.kind === 'serial' && !d.path) ctx.addIssue({ code: 'custom', path: ['path'], message: 'a serial drawer needs its port path' });
      })
      .optional(),
    display: z
      .object({
        path: z.string().min(1),
        baudRate,
        dialect: z.enum(['cd5220', 'epson']).default('cd5220'),
        charset: z.enum(['gb18030', 'ascii']).default('gb18030'),
        cols: z.number().int().min(8).max(40).default(20),
      })
      .optional(),
    reconnect: z.object({ initialMs: z.number().int().positive().default(250), maxMs: z.number().int().positive().default(10_000) }).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.drawer?.kind === 'printer' && !c.printer) ctx.addIssue({ code: 'custom', path: ['drawer', 'kind'], message: "a drawer of kind 'printer' needs a printer" });
  });

export type DevicesConfig = z.output<typeof devicesConfigSchema>;
export type DevicesConfigInput = z.input<typeof devicesConfigSchema>;

export function parseDevicesConfig(input: unknown): DevicesConfig {
  const r = devicesConfigSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const field = issue?.path.map(String).join('.') || '(root)';
  throw new TillError('config-invalid', `devices config: ${field}: ${issue?.message ?? 'invalid'}`, { field });
}
