/**
 * What the app updater (src/main/updater.ts) asks of the running terminal:
 * who it is, the update rollout in its synced store settings (set at the hub,
 * delivered with the catalog), and whether an update may install now: not
 * while a cart holds items or a shift is open. It says when that may have
 * changed: after each sale or cart change, and once a minute (a shift closes
 * without an event).
 */
import type { UpdateRollout } from '../../shared/contract/catalog';
import { isEmpty, type CartState } from '../../core/cart';
import { currentShift } from '../handlers/shifts';
import type { Terminal } from '../terminal';

export interface TerminalUpdateGate {
  readonly identity: { store: string; terminal: string };
  rollout(): UpdateRollout | null;
  busy(): boolean;
  onChange(listener: () => void): () => void;
}

export function updateGate(terminal: Terminal, o: { pollMs?: number } = {}): TerminalUpdateGate {
  const { ledger } = terminal;
  return {
    identity: { store: ledger.identity.store, terminal: ledger.identity.terminal },
    rollout: () => terminal.catalog.settings().updates ?? null,
    busy: () => currentShift(ledger.db) !== null || ledger.carts.list().some((c) => !isEmpty(c.state as CartState)),
    onChange(listener) {
      const offs = [terminal.events.on('sale.completed', listener), terminal.events.on('cart.changed', listener)];
      const timer = setInterval(listener, o.pollMs ?? 60_000);
      timer.unref();
      return () => {
        for (const off of offs) off();
        clearInterval(timer);
      };
    },
  };
}
