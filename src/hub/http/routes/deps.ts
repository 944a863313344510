/** What the route modules are given: the HTTP app, the store and the hub's event outlets. */
import type { FleetChanged } from '../../../shared/hub-api/index';
import type { HubSecrets } from '../../secrets';
import type { HubStore } from '../../store/types';
import type { HubHttp } from '../app';
import type { AuthConfig } from '../auth';

/** events that leave the HTTP side: to terminals (/terminal) and consoles (/console), on every hub node */
export interface HubEvents {
  /** a new catalog version: terminals pull it, consoles refresh */
  catalogChanged(version: number): void;
  fleetChanged(e: FleetChanged): void;
  /** disconnects a revoked terminal's sockets (it reconnects and is refused) */
  terminalRevoked(terminalId: string): void;
  /** ends the console sockets of a session, or of every session of a user */
  sessionsEnded(o: { sessionIdHash: string } | { user: string }): void;
}

export interface RouteDeps {
  http: HubHttp;
  store: HubStore;
  auth: AuthConfig;
  events: HubEvents;
  /** the hub's signing key and the chain's PIN key */
  secrets: HubSecrets;
  /** how long without a status report before a connected terminal counts as offline */
  staleAfterMs: number;
  /** what the webhook routes send a test message with */
  webhooks: { wallClock: () => number; timeoutMs: number };
}
