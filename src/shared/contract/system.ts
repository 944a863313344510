import { z } from 'zod';
import { method } from './define';

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
    }),
  }),
};
