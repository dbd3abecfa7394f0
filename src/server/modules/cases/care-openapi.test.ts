import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';

describe('the care workflow in the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', { scheduler: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('documents every care route with its input schema', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as {
      paths: Record<string, Record<string, { requestBody?: unknown; parameters?: unknown[] }>>;
    };
    const expected: [string, string][] = [
      ['/api/v1/cases/{id}/merge', 'post'],
      ['/api/v1/cases/{id}/split', 'post'],
      ['/api/v1/cases/{id}/presence', 'post'],
      ['/api/v1/cases/{id}/hand-back', 'post'],
      ['/api/v1/cases/{id}/move-private', 'post'],
      ['/api/v1/cases/{id}/callbacks', 'post'],
      ['/api/v1/handovers', 'post'],
      ['/api/v1/handovers', 'get'],
      ['/api/v1/incidents', 'post'],
      ['/api/v1/incidents/{id}/updates', 'post'],
      ['/api/v1/incidents/{id}/resolve', 'post'],
      ['/api/v1/teams', 'post'],
      ['/api/v1/teams/{id}', 'patch'],
      ['/api/v1/routing-rules', 'post'],
      ['/api/v1/agents/{id}', 'patch'],
      ['/api/v1/templates', 'post'],
      ['/api/v1/templates/{id}/render', 'post'],
      ['/api/v1/webhooks', 'post'],
      ['/api/v1/webhooks/{id}/deliveries', 'get'],
      ['/api/v1/people/{id}/merge', 'post'],
      ['/api/v1/people/{id}/verifications', 'post'],
      ['/api/v1/customer-accounts', 'put'],
    ];
    for (const [path, method] of expected) {
      expect(doc.paths[path]?.[method], `${method.toUpperCase()} ${path}`).toBeDefined();
      if (method !== 'get')
        expect(
          doc.paths[path]![method]!.requestBody ?? doc.paths[path]![method]!.parameters,
          path,
        ).toBeDefined();
    }
  });
});
