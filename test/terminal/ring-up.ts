/**
 * Rings up sales on a closed data directory through the real dispatch, each
 * at its own time (the terminal's clock follows the sale): the fixture's
 * cashier opens a shift at the first sale's time, signs in for each sale,
 * scans the codes and pays in cash or by card.
 */
import { createTerminal } from '../../src/terminal';
import { USERS } from './fixture';

export interface Sale {
  at: Date;
  codes: string[];
  tender?: 'cash' | 'card';
}

export async function ringUp(dir: string, sales: readonly Sale[]): Promise<void> {
  let now = sales[0]?.at ?? new Date();
  const t = createTerminal({ dataDir: dir, clock: () => now, log: () => undefined });
  const must = async (method: Parameters<typeof t.dispatch>[0], input: unknown, ctx: { sessionToken?: string } = {}) => {
    const r = await t.dispatch(method, input, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value;
  };
  try {
    const signIn = async () => ({ sessionToken: ((await must('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin })) as { sessionToken: string }).sessionToken });
    await must('shift.open', { float: [] }, await signIn());
    for (const [i, sale] of sales.entries()) {
      now = sale.at;
      // hours apart: the cashier signs in again (an idle session ends after 5 minutes)
      const ctx = await signIn();
      let total = 0;
      for (const code of sale.codes) total = ((await must('cart.scan', { code }, ctx)) as { cart: { totals: { total: number } } }).cart.totals.total;
      if (sale.tender === 'card') await must('tender.card', { amount: total, reference: `REF${String(i).padStart(6, '0')}` }, ctx);
      else await must('tender.cash', { tendered: total }, ctx);
    }
  } finally {
    t.close();
  }
}
