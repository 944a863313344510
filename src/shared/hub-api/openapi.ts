/**
 * The OpenAPI 3.1 document of a set of routes, generated from their zod
 * schemas with zod 4's z.toJSONSchema (JSON Schema 2020-12, which OpenAPI 3.1
 * uses as is). Path parameters and query fields become `parameters`, the body
 * a JSON `requestBody`, the answer the 200 response; every route lists the
 * shared error answer. `x-till-access` carries who may call the route and
 * where its store is named, so tests (and tools) can try every route as every
 * role from the document alone.
 */
import { z } from 'zod';
import { apiErrorSchema, API_ERROR_STATUS } from './common';
import { EXPORT_TYPES, noInput, type RouteDef } from './define';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : {};
}

function parameters(schema: z.ZodType, where: 'path' | 'query'): Json[] {
  const shape = objectShape(schema);
  return Object.entries(shape).map(([name, s]) => {
    const p: Json = { name, in: where, required: where === 'path' || !s.safeParse(undefined).success, schema: jsonSchema(s, 'input') };
    return p;
  });
}

export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

export function openApiDocument(routes: Record<string, RouteDef>, info: { title: string; version: string }): Json {
  const paths: Record<string, Json> = {};
  const errorRef = { $ref: '#/components/schemas/ApiError' };
  for (const [name, r] of Object.entries(routes)) {
    const op: Json = {
      operationId: name,
      summary: r.summary,
      tags: [r.group],
      'x-till-access': r.access,
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
    };
    if (r.body !== noInput) {
      op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    }
    const content: Json = { 'application/json': { schema: jsonSchema(r.answer, 'output') } };
    for (const f of r.exports ?? []) content[EXPORT_TYPES[f].split(';')[0] as string] = { schema: { type: 'string', format: 'binary' } };
    const responses: Json = { '200': { description: 'done', content } };
    const statuses = new Set<number>([400, 429, 500]);
    if (r.access !== 'public') statuses.add(401);
    if (typeof r.access === 'object' || r.method !== 'GET') statuses.add(403);
    for (const s of [...statuses].sort()) responses[String(s)] = { description: describe(s), content: { 'application/json': { schema: errorRef } } };
    op.responses = responses;
    if (r.access !== 'public') op.security = [{ session: [] }, { adminToken: [] }];
    const p = openApiPath(r.path);
    paths[p] = { ...(paths[p] ?? {}), [r.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: {
      schemas: { ApiError: jsonSchema(apiErrorSchema, 'output') },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'till-session', description: 'set by POST /api/login (named __Host-till-session over https); state-changing calls also send x-csrf-token' },
        adminToken: { type: 'http', scheme: 'bearer', description: "the token in the hub's data directory (admin-token); acts as hq-admin" },
      },
    },
  };
}

function describe(status: number): string {
  const codes = Object.entries(API_ERROR_STATUS)
    .filter(([, s]) => s === status)
    .map(([c]) => c);
  return codes.length ? codes.join(', ') : 'error';
}
