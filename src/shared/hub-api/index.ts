/**
 * The hub's whole HTTP API, declared once: every route of every group with
 * its zod schemas and access. The hub serves the routes it implements from
 * this table (src/hub/http) and describes them at /api/openapi.json; the
 * console (src/hub/web) calls them with these types.
 */
import type { RouteDef } from './define';
import { adminRoutes } from './admin';
import { authRoutes, peopleRoutes } from './people';
import { auditRoutes } from './audit';
import { fleetRoutes } from './fleet';
import { alertRoutes } from './alerts';
import { liveRoutes } from './live';
import { reportRoutes } from './reports';
import { lossRoutes } from './loss';
import { catalogRoutes } from './catalog';

export * from './define';
export * from './common';
export * from './people';
export * from './audit';
export * from './fleet';
export * from './alerts';
export * from './live';
export * from './reports';
export * from './loss';
export * from './catalog';
export * from './admin';
export * from './console-socket';
export { openApiDocument, openApiPath } from './openapi';

export const hubApi = {
  ...adminRoutes,
  ...authRoutes,
  ...peopleRoutes,
  ...auditRoutes,
  ...fleetRoutes,
  ...alertRoutes,
  ...liveRoutes,
  ...reportRoutes,
  ...lossRoutes,
  ...catalogRoutes,
} as const satisfies Record<string, RouteDef>;

export type HubApi = typeof hubApi;
export type RouteName = keyof HubApi;
