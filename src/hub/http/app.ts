/**
 * The hub's HTTP side on fastify: plugins, the request life cycle and the
 * one way a route of src/shared/hub-api is served.
 *
 * For every request to a declared route, in this order:
 *   1. rate limit per source address (@fastify/rate-limit; tighter on login
 *      and enrollment), 429 rate-limited;
 *   2. who is calling (admin token or session cookie), 401 without either on
 *      any non-public route; the role, 403 forbidden;
 *   3. CSRF for a state-changing call made with a session cookie
 *      (@fastify/csrf-protection, token in x-csrf-token, its secret kept in
 *      the session row), 403 csrf-invalid;
 *   4. body parsed (JSON; text/plain too, for older terminals), then params,
 *      query and body validated with the route's zod schemas, 400 bad-input;
 *   5. the store limits of a store manager, 403 forbidden;
 *   6. the handler; its answer checked against the answer schema.
 * Steps 2 and 3 run before the body is read, so nobody uploads a large body
 * without a credential. Every error leaves through mapError (generic message
 * out, details to the log). Helmet sets the security headers and the
 * console's Content-Security-Policy; the built console, when present, is
 * served from `webRoot` with index.html for its client-side routes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import type https from 'node:https';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type onRequestHookHandler } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { z } from 'zod';
import { contentSecurityPolicy } from '../../shared/csp';
import type { Logger } from '../../shared/logger';
import { EXPORT_TYPES, hubApi, type ExportFormat, type RouteDef, type RouteName } from '../../shared/hub-api/index';
import type { ChangeBy } from '../store/types';
import { authenticate, changeBy, sourceOf, type AuthConfig, type Principal } from './auth';
import { ApiError, issuesOf, mapError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** what @fastify/csrf-protection reads in its '@fastify/session' mode: the session's CSRF secret */
    session: { _csrf: string } | null;
  }
  interface FastifyContextConfig {
    hubRoute?: RouteName;
  }
}

export interface RateLimits {
  /** requests per minute from one address to any route */
  perMinute: number;
  loginPerMinute: number;
  enrollPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perMinute: 600, loginPerMinute: 30, enrollPerMinute: 30 };

export interface HttpOptions {
  auth: AuthConfig;
  rateLimits: RateLimits;
  trustProxy: boolean;
  /** the built console (index.html and its assets), when there is one */
  webRoot: string | null;
  /** where each request answered is recorded (method, path without its query, route, status, time, source) */
  logger?: Logger;
}

/** a report export: the handler's answer when the query asked for csv or xlsx */
export class FileAnswer {
  constructor(
    readonly format: ExportFormat,
    readonly body: Buffer | string,
    readonly fileName: string,
  ) {}
}

/** what every store-scoped handler may see: every store, or this list */
export type StoreAccess = { all: true } | { all: false; stores: readonly string[] };

export interface RouteContext<R extends RouteDef> {
  params: z.output<R['params']>;
  query: z.output<R['query']>;
  body: z.output<R['body']>;
  /** null only on public routes */
  principal: Principal | null;
  access: StoreAccess;
  /** refuses (403) a store the caller may not see */
  allowStore(store: string): void;
  /** the caller, its address and the time, for the audit log */
  by: ChangeBy;
  req: FastifyRequest;
  reply: FastifyReply;
}

export type RouteHandler<R extends RouteDef> = (ctx: RouteContext<R>) => Promise<z.input<R['answer']> | FileAnswer>;

export interface HubHttp {
  app: FastifyInstance;
  serve<N extends RouteName>(name: N, handler: RouteHandler<(typeof hubApi)[N]>): void;
  /** the routes served so far */
  served(): RouteName[];
}

/** the stores a request names in the field (and list field) of its store scope */
function namedStores(def: RouteDef, input: { params: unknown; query: unknown; body: unknown }): Array<string | null> {
  if (typeof def.access !== 'object' || !def.access.store) return [];
  const scope = def.access.store;
  const source = input[scope.in] as Record<string, unknown>;
  const out: Array<string | null> = [];
  const one = source[scope.field];
  if (one === null) out.push(null);
  else if (typeof one === 'string') out.push(one);
  const list = scope.listField === undefined ? undefined : source[scope.listField];
  if (Array.isArray(list)) for (const s of list) if (typeof s === 'string') out.push(s);
  return out;
}

function cspDirectives(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of contentSecurityPolicy().split('; ')) {
    const [name, ...values] = part.split(' ');
    if (name) out[name] = values;
  }
  return out;
}

export async function createHttp(server: http.Server | https.Server, o: HttpOptions): Promise<HubHttp> {
  const log = o.auth.log;
  const app = Fastify({
    serverFactory: (handler) => {
      server.on('request', handler);
      return server as http.Server;
    },
    trustProxy: o.trustProxy,
    logger: false,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  const access = o.logger?.child({ component: 'http' });
  if (access) {
    app.addHook('onResponse', (req, reply, done) => {
      access.info('request', { method: req.method, path: req.url.split('?')[0], route: req.routeOptions.url ?? null, status: reply.statusCode, ms: Math.round(reply.elapsedTime), source: sourceOf(req) });
      done();
    });
  }

  /* older terminals and scripts POST JSON without a content type (fetch sends text/plain) */
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, body === '' ? undefined : (JSON.parse(body as string) as unknown));
    } catch (e) {
      done(e as Error, undefined);
    }
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, { contentSecurityPolicy: { useDefaults: false, directives: cspDirectives() } });
  await app.register(fastifyCsrf, { sessionPlugin: '@fastify/session', sessionKey: '_csrf', getToken: (req) => req.headers['x-csrf-token'] as string | undefined });
  await app.register(fastifyRateLimit, {
    global: true,
    max: o.rateLimits.perMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (req, ctx) => new ApiError('rate-limited', `rate limit of ${ctx.max} per minute on ${req.method} ${req.url.split('?')[0]}`, { retryAfterSeconds: Math.ceil(ctx.ttl / 1000) }),
    onExceeded: (req) => log(`rate limit reached: ${req.method} ${req.url.split('?')[0]} from ${sourceOf(req)}`),
  });

  /* after the rate limiter's own onRoute hook, so its check runs first */
  const authHook: onRequestHookHandler = function (req, reply, done) {
    const name = req.routeOptions.config.hubRoute;
    if (name === undefined) return done();
    const def = hubApi[name] as RouteDef;
    authenticate(o.auth, req).then(
      (principal) => {
        req.principal = principal;
        req.session = principal?.session ? { _csrf: principal.session.csrfSecret } : null;
        if (def.access === 'public') return done();
        if (!principal) return done(new ApiError('unauthenticated', `no session on ${req.method} ${req.url.split('?')[0]} from ${sourceOf(req)}`));
        if (typeof def.access === 'object' && !def.access.roles.includes(principal.role)) {
          return done(new ApiError('forbidden', `${principal.name} (${principal.role}) may not call ${name}`));
        }
        if (principal.kind === 'session' && def.method !== 'GET') return app.csrfProtection(req, reply, done);
        done();
      },
      (e: unknown) => done(e as Error),
    );
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.hubRoute === undefined) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, authHook];
  });

  app.setErrorHandler((e, req, reply) => {
    const m = mapError(e);
    if (m.log) log(`${req.method} ${req.url.split('?')[0]} from ${sourceOf(req)}: ${m.log}`);
    if (m.body.error.code === 'rate-limited' && m.body.error.details?.retryAfterSeconds !== undefined) reply.header('retry-after', String(m.body.error.details.retryAfterSeconds));
    void reply.code(m.status).header('cache-control', 'no-store').send(m.body);
  });

  const webRoot = o.webRoot !== null && fs.existsSync(path.join(o.webRoot, 'index.html')) ? o.webRoot : null;
  if (webRoot) await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: false, index: ['index.html'] });
  app.setNotFoundHandler((req, reply) => {
    if (webRoot && req.method === 'GET' && !req.url.startsWith('/api/')) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.code(404).header('cache-control', 'no-store').send(mapError(new ApiError('not-found', `no route ${req.method} ${req.url.split('?')[0]}`)).body);
  });

  const served: RouteName[] = [];
  return {
    app,
    served: () => [...served],
    serve(name, handler) {
      const def = hubApi[name] as RouteDef;
      const limit = name === 'auth.login' ? o.rateLimits.loginPerMinute : name === 'terminal.enroll' ? o.rateLimits.enrollPerMinute : undefined;
      served.push(name);
      app.route({
        method: def.method,
        url: def.path,
        bodyLimit: def.bodyLimit ?? 1024 * 1024,
        config: { hubRoute: name, ...(limit === undefined ? {} : { rateLimit: { max: limit, timeWindow: 60_000 } }) },
        handler: async (req, reply) => {
          const parse = <S extends z.ZodType>(where: string, schema: S, value: unknown): z.output<S> => {
            const r = schema.safeParse(value ?? {});
            if (!r.success) throw new ApiError('bad-input', `${name}: bad ${where}`, { issues: issuesOf(where, r.error) });
            return r.data;
          };
          const params = parse('params', def.params, req.params);
          const query = parse('query', def.query, req.query);
          const body = parse('body', def.body, req.body);
          const principal = req.principal;
          const mine = principal === null || principal.stores === 'all' ? null : principal.stores;
          const allowStore = (s: string) => {
            if (mine !== null && !mine.includes(s)) throw new ApiError('forbidden', `${principal?.name} may not see store ${s} (${name})`);
          };
          for (const s of namedStores(def, { params, query, body })) {
            if (s === null) {
              if (mine !== null) throw new ApiError('forbidden', `${principal?.name} may not act for every store (${name})`);
            } else allowStore(s);
          }
          const out = await (handler as RouteHandler<RouteDef>)({
            params,
            query,
            body,
            principal,
            access: mine === null ? { all: true } : { all: false, stores: mine },
            allowStore,
            by: changeBy(principal, sourceOf(req), o.auth.now()),
            req,
            reply,
          });
          void reply.header('cache-control', 'no-store');
          if (out instanceof FileAnswer) {
            return reply
              .type(EXPORT_TYPES[out.format])
              .header('content-disposition', `attachment; filename="${out.fileName.replace(/[^\w.-]/g, '_')}"`)
              .send(out.body);
          }
          const answer = def.answer.safeParse(out);
          if (!answer.success) throw new Error(`${name}: the answer does not match its schema: ${answer.error.message}`);
          return answer.data;
        },
      });
    },
  };
}
