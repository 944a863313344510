/** The hub API table: paths, store scopes and the OpenAPI document agree with the schemas. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CSV_FIELDS } from '../../src/core/catalog-csv';
import { CATALOG_CSV_FIELDS, hubApi, noInput, openApiDocument, openApiPath, pathOf, type RouteDef } from '../../src/shared/hub-api/index';

const routes = Object.entries(hubApi) as Array<[string, RouteDef]>;

describe('the hub API table', () => {
  it('declares each method and path once, with path parameters that match its params schema', () => {
    const seen = new Set<string>();
    for (const [name, r] of routes) {
      const key = `${r.method} ${r.path}`;
      expect(seen.has(key), `${name}: ${key} twice`).toBe(false);
      seen.add(key);
      expect(r.path.startsWith('/api/'), name).toBe(true);
      const inPath = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).sort();
      const shape = r.params instanceof z.ZodObject ? Object.keys(r.params.shape).sort() : [];
      expect(shape, name).toEqual(inPath);
    }
  });

  it('names, for every store-scoped route, a field its schema really has', () => {
    for (const [name, r] of routes) {
      if (typeof r.access !== 'object' || !r.access.store) continue;
      const s = r.access.store;
      const schema = s.in === 'params' ? r.params : s.in === 'query' ? r.query : r.body;
      expect(schema instanceof z.ZodObject, name).toBe(true);
      const shape = (schema as z.ZodObject).shape as Record<string, unknown>;
      expect(shape[s.field], `${name}: ${s.in}.${s.field}`).toBeDefined();
      if (s.listField) expect(shape[s.listField], `${name}: ${s.in}.${s.listField}`).toBeDefined();
      expect(r.access.roles.includes('store-manager'), `${name} is store-scoped but closed to store managers`).toBe(true);
    }
  });

  it('builds an OpenAPI 3.1 document with every route, its parameters, body and access', () => {
    const doc = openApiDocument(hubApi, { title: 'Till hub', version: 'test' }) as { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters: Array<{ name: string; in: string; required: boolean }>; requestBody?: unknown; 'x-till-access': unknown }>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    for (const [name, r] of routes) {
      const op = doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
      expect(op?.operationId, name).toBe(name);
      expect(op?.['x-till-access']).toEqual(r.access);
      expect(op?.parameters.filter((p) => p.in === 'path').every((p) => p.required)).toBe(true);
      expect(op?.requestBody !== undefined, `${name} body`).toBe(r.body !== noInput);
      if (r.body !== noInput) expect(['POST', 'PUT', 'PATCH'], name).toContain(r.method);
    }
    const sales = doc.paths['/api/reports/sales']?.get?.parameters;
    expect(sales?.map((p) => [p.name, p.required])).toEqual([
      ['from', true],
      ['to', true],
      ['store', false],
      ['stores', false],
    ]);
  });

  it('parses query strings as a browser sends them', () => {
    expect(hubApi['reports.sales'].query.parse({ from: '2026-03-01', to: '2026-03-31', stores: 'S001, S002' })).toEqual({ from: '2026-03-01', to: '2026-03-31', stores: ['S001', 'S002'] });
    expect(hubApi['reports.sales'].query.safeParse({ from: '2026-03-31', to: '2026-03-01' }).success).toBe(false);
    expect(hubApi['reports.sales'].query.safeParse({ from: '2026-02-30', to: '2026-03-01' }).success).toBe(false);
    expect(hubApi['audit.list'].query.parse({ limit: '20', before: '7' })).toEqual({ limit: 20, before: 7 });
    expect(hubApi['catalog.products'].query.parse({ active: 'false' })).toEqual({ active: false, limit: 100 });
    expect(hubApi['people.add'].body.safeParse({ name: 'ann', role: 'store-manager', stores: [], password: 'x'.repeat(12) }).success).toBe(false);
    expect(hubApi['people.add'].body.safeParse({ name: 'ann', role: 'hq-analyst', stores: ['S1'], password: 'x'.repeat(12) }).success).toBe(false);
    expect(pathOf('/api/fleet/terminals/:store/:terminal', { store: 'S1', terminal: 'T 1' })).toBe('/api/fleet/terminals/S1/T%201');
  });

  it("knows the same CSV columns as till import-catalog", () => {
    expect([...CATALOG_CSV_FIELDS]).toEqual([...CSV_FIELDS]);
  });
});
