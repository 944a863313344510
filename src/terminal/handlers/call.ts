/** A leaf: what every handler receives about the call it serves (dispatch builds it). */
import type { UserView } from '../../shared/contract/auth';
import type { Permission, Role } from '../../shared/contract/define';
import type { OverrideRecord } from '../../core/cart';

/** what a handler knows about the call it serves */
export interface Call {
  user: UserView;
  /** where the call came from: 'local' (the cashier window, the CLI) or one lane device; sign-in lockouts are kept per source */
  source: string;
  /** grants `action` if the session's role allows it, or a valid override credential does; queues the override for journaling */
  authorize(action: Permission, detail: string, allows: (role: Role) => boolean): Promise<void>;
  readonly granted: OverrideRecord[];
}
