/**
 * The permission matrix: the one place that says which roles may do what.
 * Roles are ordered cashier < supervisor < manager < admin and a permission
 * names the lowest role that holds it. An `overridable` permission may be
 * granted for one call by a second credential (supervisor override) when the
 * session's own role lacks it; the rest are simply forbidden.
 */
import type { Permission, Role } from '../shared/contract/define';

export type { Permission };

export const ROLE_RANK: Readonly<Record<Role, number>> = { cashier: 0, supervisor: 1, manager: 2, admin: 3 };

interface Rule {
  readonly min: Role;
  readonly overridable: boolean;
}

export const PERMISSIONS = {
  'catalog.read': { min: 'cashier', overridable: false },
  'cart.sell': { min: 'cashier', overridable: false },
  /** discounts within the role's limit (store settings); over it the call needs an override */
  'cart.discount': { min: 'cashier', overridable: false },
  'cart.price-override': { min: 'supervisor', overridable: true },
  'tender.take': { min: 'cashier', overridable: false },
  'sale.read': { min: 'cashier', overridable: false },
  /** voiding an open sale with no tender taken yet */
  'sale.void': { min: 'cashier', overridable: false },
  /** voiding an open sale after a tender was taken */
  'sale.void-after-tender': { min: 'supervisor', overridable: true },
  /** a discount above the role's limit */
  'discount.over-limit': { min: 'supervisor', overridable: true },
  /** store operations (issue 4): shifts, drawer, refunds, reports, users, settings */
  'shift.read': { min: 'cashier', overridable: false },
  'shift.open': { min: 'cashier', overridable: false },
  'shift.paid-in': { min: 'cashier', overridable: false },
  'shift.paid-out': { min: 'supervisor', overridable: true },
  'shift.close': { min: 'cashier', overridable: false },
  /** closing a shift whose over/short is beyond the store's threshold */
  'shift.close-variance': { min: 'supervisor', overridable: true },
  /** opening the drawer with no sale */
  'drawer.no-sale': { min: 'supervisor', overridable: true },
  'refund.receipt': { min: 'supervisor', overridable: true },
  'refund.no-receipt': { min: 'supervisor', overridable: true },
  'report.x': { min: 'supervisor', overridable: true },
  'report.z': { min: 'manager', overridable: true },
  'users.read': { min: 'manager', overridable: false },
  'users.unlock': { min: 'supervisor', overridable: false },
  'users.manage': { min: 'admin', overridable: false },
  'settings.manage': { min: 'admin', overridable: false },
  /** devices (issue 5): IT staff's test print, drawer test (journaled) and display test */
  'devices.test': { min: 'supervisor', overridable: true },
} as const satisfies Record<Permission, Rule>;

export const isPermission = (p: string): p is Permission => Object.hasOwn(PERMISSIONS, p);

export function roleHas(role: Role, permission: Permission): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[PERMISSIONS[permission].min];
}

export function isOverridable(permission: Permission): boolean {
  return PERMISSIONS[permission].overridable;
}

/** permission -> the roles that hold it (for the UI and for the tests of the whole matrix) */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(ROLE_RANK) as Role[]).filter((r) => roleHas(r, permission));
}
