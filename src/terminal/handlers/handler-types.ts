/**
 * A leaf of handler types: what a handler is (Handler), the map of every
 * contract method to its handler (Handlers, HandlerMap for one domain's
 * share) and what a domain's handlers are built from (TerminalCore).
 * Domains import these from here, never from the composition root.
 */
import type { z } from 'zod';
import type { Contract, MethodName, MethodOutput } from '../../shared/contract/index';
import type { TillEvents } from '../../shared/contract/events';
import type { PaymentProvider } from '../../core/payment';
import type { Ledger } from '../../ledger/index';
import type { CatalogReader } from '../projections/catalog';
import type { Session, Sessions } from './auth';
import type { Call } from './call';
import type { Selling } from './selling';

type Parsed<N extends MethodName> = z.output<Contract[N]['input']>;
/** serves one call: the parsed input, the call (user, authorize, overrides granted) and the session (null for public calls) */
export type Handler<N extends MethodName> = (input: Parsed<N>, call: Call, session: Session | null) => Promise<MethodOutput<N>> | MethodOutput<N>;
export type Handlers = { [N in MethodName]: Handler<N> };
export type HandlerMap<N extends MethodName> = { [K in N]: Handler<K> };

/** what a domain's handlers are built from */
export interface TerminalCore {
  ledger: Ledger;
  catalog: CatalogReader;
  sessions: Sessions;
  selling: Selling;
  events: TillEvents;
  clock: () => Date;
  newId: () => string;
  payments: PaymentProvider;
}
