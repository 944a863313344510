/**
 * How a contract call is declared: once, here in src/shared, with its zod
 * input and output and the permission it needs. dispatch (src/terminal)
 * validates against these, the preload builds window.till from the names, and
 * the renderer's types come from the same objects.
 */
import type { z } from 'zod';

export type Role = 'cashier' | 'supervisor' | 'manager' | 'admin';
export const ROLES: readonly Role[] = ['cashier', 'supervisor', 'manager', 'admin'];

/**
 * Every permission a call or a supervisor override may name. The names live
 * here so the contract can be typed by them; which roles hold each is the
 * permission matrix of src/core/permissions.ts, which must list exactly these
 * (the compiler checks both ways).
 */
export const PERMISSION_NAMES = [
  'catalog.read',
  'cart.sell',
  'cart.discount',
  'cart.price-override',
  'tender.take',
  'sale.read',
  'sale.void',
  'sale.void-after-tender',
  'discount.over-limit',
  'shift.read',
  'shift.open',
  'shift.paid-in',
  'shift.paid-out',
  'shift.close',
  'shift.close-variance',
  'drawer.no-sale',
  'refund.receipt',
  'refund.no-receipt',
  'report.x',
  'report.z',
  'users.read',
  'users.unlock',
  'users.manage',
  'settings.manage',
  'devices.test',
] as const;
export type Permission = (typeof PERMISSION_NAMES)[number];

/**
 * 'public' calls need no session (login, status); 'session' needs any signed-in
 * user. Every other access is a permission, mapped to roles by the permission
 * matrix in src/core/permissions.ts.
 */
export type Access = 'public' | 'session' | Permission;

export interface MethodDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly access: Access;
  readonly summary: string;
}

export function method<I extends z.ZodType, O extends z.ZodType>(def: MethodDef<I, O>): MethodDef<I, O> {
  return def;
}

export type Input<M> = M extends MethodDef<infer I, z.ZodType> ? z.input<I> : never;
export type Output<M> = M extends MethodDef<z.ZodType, infer O> ? z.output<O> : never;

/**
 * What travels with every call besides its input: the session from auth.login,
 * and optionally a second credential (supervisor override) for a call the
 * session's role may not make alone.
 */
export interface CallContext {
  sessionToken?: string;
  override?: { userCode: string; pin: string };
}
