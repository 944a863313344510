/**
 * How a route of the hub's HTTP API is declared: once, here in src/shared,
 * with zod schemas for its path parameters, query, body and answer, who may
 * call it, and where the store it concerns is named. The hub validates every
 * request with these schemas and builds /api/openapi.json from them; the
 * console's client takes its types from the same objects.
 *
 * Access:
 *   'public'   no credential (terminal enrollment, health, login)
 *   'session'  any signed-in console user, or the hub admin token
 *   roles      one of the listed hub roles (the admin token counts as hq-admin)
 * A store manager is limited to its stores: `store` names the field that
 * carries the store ('one': required, must be one of the manager's stores;
 * 'filter': optional, a manager's answer is limited to its stores and naming
 * another store is refused; 'derived': the handler finds the store from the
 * resource, e.g. a scheduled price change by id).
 */
import { z } from 'zod';

export const HUB_ROLES = ['hq-admin', 'hq-analyst', 'store-manager'] as const;
export const hubRoleSchema = z.enum(HUB_ROLES);
export type HubRole = z.infer<typeof hubRoleSchema>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const ROUTE_GROUPS = ['system', 'terminal', 'admin', 'auth', 'people', 'audit', 'fleet', 'live', 'reports', 'loss', 'catalog'] as const;
export type RouteGroup = (typeof ROUTE_GROUPS)[number];

export interface StoreScope {
  in: 'params' | 'query' | 'body';
  field: string;
  /** a second field holding a list of stores (stores=S001,S002), checked like `field` */
  listField?: string;
  mode: 'one' | 'filter' | 'derived';
}

export type Access = 'public' | 'session' | { roles: readonly HubRole[]; store?: StoreScope };

/** other formats a route can answer in besides JSON (report exports) */
export const EXPORT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type ExportFormat = keyof typeof EXPORT_TYPES;

export const noInput = z.object({}).strict();
export type NoInput = typeof noInput;

export interface RouteDef<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, A extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod;
  /** fastify style: /api/users/:name */
  readonly path: string;
  readonly group: RouteGroup;
  readonly summary: string;
  readonly access: Access;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly answer: A;
  /** export formats chosen by the query's `format` field (JSON otherwise) */
  readonly exports?: readonly ExportFormat[];
  /** largest request body in bytes (default 1 MiB) */
  readonly bodyLimit?: number;
}

interface RouteInput<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, A extends z.ZodType> {
  method: HttpMethod;
  path: string;
  group: RouteGroup;
  summary: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  answer: A;
  exports?: readonly ExportFormat[];
  bodyLimit?: number;
}

export function route<P extends z.ZodType = NoInput, Q extends z.ZodType = NoInput, B extends z.ZodType = NoInput, A extends z.ZodType = z.ZodType>(
  def: RouteInput<P, Q, B, A>,
): RouteDef<P, Q, B, A> {
  return {
    ...def,
    params: def.params ?? (noInput as unknown as P),
    query: def.query ?? (noInput as unknown as Q),
    body: def.body ?? (noInput as unknown as B),
  };
}

export type RouteParams<R> = R extends RouteDef<infer P, z.ZodType, z.ZodType, z.ZodType> ? z.output<P> : never;
export type RouteQuery<R> = R extends RouteDef<z.ZodType, infer Q, z.ZodType, z.ZodType> ? z.output<Q> : never;
export type RouteBody<R> = R extends RouteDef<z.ZodType, z.ZodType, infer B, z.ZodType> ? z.output<B> : never;
/** what a client receives */
export type RouteAnswer<R> = R extends RouteDef<z.ZodType, z.ZodType, z.ZodType, infer A> ? z.output<A> : never;
/** what a client sends (before defaults and coercion) */
export type RouteQueryInput<R> = R extends RouteDef<z.ZodType, infer Q, z.ZodType, z.ZodType> ? z.input<Q> : never;
export type RouteBodyInput<R> = R extends RouteDef<z.ZodType, z.ZodType, infer B, z.ZodType> ? z.input<B> : never;

/** the path with its parameters filled in: pathOf('/api/users/:name', {name: 'ann'}) */
export function pathOf(path: string, params: Record<string, string | number> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new TypeError(`${path}: missing parameter ${name}`);
    return encodeURIComponent(String(v));
  });
}

/** true when `role` may call a route with this access at all (store limits aside) */
export function roleMayCall(access: Access, role: HubRole): boolean {
  if (access === 'public' || access === 'session') return true;
  return access.roles.includes(role);
}
