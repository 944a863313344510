import { z } from 'zod';
import { method } from './define';
import { paymentProviderNameSchema } from './cart';

export const systemMethods = {
  'system.status': method({
    summary: 'terminal identity, ledger position and app version',
    access: 'public',
    input: z.object({}).strict(),
    output: z.object({
      store: z.string(),
      terminal: z.string(),
      version: z.string(),
      lastSeq: z.number().int(),
      lastHash: z.string(),
      /** which payment codes this till takes: 'sandbox' charges nothing real (the status bar says so); 'none' takes none */
      payments: z.object({ mode: z.enum(['live', 'sandbox', 'none']), providers: z.array(paymentProviderNameSchema) }),
    }),
  }),
};
