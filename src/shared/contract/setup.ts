/**
 * First-run set-up (issue 14), the calls behind the set-up screens: the
 * language, stand-alone or enrolled with a hub (its certificate's SHA-256
 * fingerprint shown before anything is sent to it), and the devices chosen
 * from what the computer has (the listing of `till devices list`) plus
 * network printers by address, each tested from the screen. What set-up
 * saves is DATA/devices.json and the hub credentials, exactly as IT staff's
 * `till enroll` makes them; `till devices check` reads the same file.
 * Everything but setup.status needs an admin.
 */
import { z } from 'zod';
import { method } from './define';

export const LANGUAGE_CODES = ['zh-CN', 'en'] as const;
export const languageSchema = z.enum(LANGUAGE_CODES);
export type LanguageCode = z.infer<typeof languageSchema>;

const devicePath = z.string().min(1).max(200);

/** the devices the set-up screen chooses: the part of devices.json it writes (other fields of a device kept at the same address stay) */
export const setupDevicesSchema = z
  .object({
    /** tcp://HOST:PORT, serial:PATH or usb:/dev/usb/lpN */
    printer: z.object({ address: z.string().min(1).max(200), width: z.union([z.literal(58), z.literal(80)]) }).strict().nullable(),
    scanner: z.discriminatedUnion('kind', [z.object({ kind: z.literal('serial'), path: devicePath }).strict(), z.object({ kind: z.literal('wedge') }).strict()]).nullable(),
    drawer: z.discriminatedUnion('kind', [z.object({ kind: z.literal('printer') }).strict(), z.object({ kind: z.literal('serial'), path: devicePath }).strict()]).nullable(),
    display: z.object({ path: devicePath }).strict().nullable(),
  })
  .strict();
export type SetupDevices = z.infer<typeof setupDevicesSchema>;

export const NO_DEVICES: SetupDevices = { printer: null, scanner: null, drawer: null, display: null };

export const portSchema = z.object({
  path: z.string(),
  kind: z.enum(['serial', 'usb-printer']),
  manufacturer: z.string().optional(),
  vendorId: z.string().optional(),
  productId: z.string().optional(),
});

export const hubProbeSchema = z.object({
  /** the hub's base URL as it will be stored (http(s), no trailing slash) */
  url: z.string(),
  reachable: z.boolean(),
  tls: z.boolean(),
  /** the certificate chains to a CA this computer trusts; when false, enrolling pins it after the person compared the fingerprint */
  trusted: z.boolean(),
  /** SHA-256 of the hub's certificate, AA:BB:... (what `openssl x509 -fingerprint -sha256` prints on the hub) */
  fingerprint: z.string().nullable(),
  subject: z.string().nullable(),
  validTo: z.string().nullable(),
  /** why it is not reachable, null when it is */
  problem: z.string().nullable(),
});
export type HubProbe = z.infer<typeof hubProbeSchema>;

export const deviceTestActionSchema = z.enum(['print', 'drawer', 'display', 'scanner']);
export type DeviceTestAction = z.infer<typeof deviceTestActionSchema>;

export const setupMethods = {
  'setup.status': method({
    summary: 'whether this till still needs its first-run set-up, and the language it chose',
    access: 'public',
    input: z.object({}).strict(),
    output: z.object({ needed: z.boolean(), language: languageSchema.nullable() }),
  }),
  'setup.state': method({
    summary: "the till's identity, language, hub enrollment and devices as saved",
    access: 'settings.manage',
    input: z.object({}).strict(),
    output: z.object({
      store: z.string(),
      terminal: z.string(),
      language: languageSchema.nullable(),
      hub: z.object({ url: z.string(), terminalId: z.string(), pinned: z.boolean() }).nullable(),
      devices: setupDevicesSchema,
      /** a devices.json the screen cannot show (bad field), null when fine */
      devicesProblem: z.string().nullable(),
    }),
  }),
  'setup.ports': method({
    summary: 'the serial ports and USB printers this computer has (till devices list)',
    access: 'settings.manage',
    input: z.object({}).strict(),
    output: z.object({ ports: z.array(portSchema), notes: z.array(z.string()) }),
  }),
  'setup.probeHub': method({
    summary: "reach a hub and read its certificate's fingerprint, sending it nothing",
    access: 'settings.manage',
    input: z.object({ url: z.string().min(1).max(300) }).strict(),
    output: hubProbeSchema,
  }),
  'setup.enroll': method({
    summary: 'enroll with the hub using a one-time code (the fingerprint the person accepted is required when the certificate is not trusted)',
    access: 'settings.manage',
    input: z.object({ url: z.string().min(1).max(300), code: z.string().min(4).max(64), fingerprint: z.string().max(200).nullable() }).strict(),
    output: z.object({ terminalId: z.string(), url: z.string(), pinned: z.boolean() }),
  }),
  'setup.testDevice': method({
    summary: 'try one chosen device: a test print, a drawer kick (journaled), a display test, or a scanner connection',
    access: 'settings.manage',
    input: z.object({ devices: setupDevicesSchema, action: deviceTestActionSchema }).strict(),
    output: z.object({
      action: deviceTestActionSchema,
      ok: z.boolean(),
      /** the printer's state after a print test (ready, paper-out, cover-open, offline, ...), the drawer's (open, closed), or null */
      state: z.string().nullable(),
      /** the driver's own words, for IT staff */
      message: z.string(),
    }),
  }),
  'setup.save': method({
    summary: 'save the language and the devices (DATA/devices.json) and start using them',
    access: 'settings.manage',
    input: z.object({ language: languageSchema, devices: setupDevicesSchema }).strict(),
    output: z.object({ devicesFile: z.string(), summary: z.string() }),
  }),
  'setup.close': method({
    summary: 'leave the set-up without saving: the devices as saved are used again',
    access: 'settings.manage',
    input: z.object({}).strict(),
    output: z.object({ summary: z.string() }),
  }),
};
