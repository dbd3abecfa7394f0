import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../modules/users/users.schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';

const fill = (url: string) => url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

describe.each(drivers)('every API route is guarded by role (%s)', (driver) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(driver, { scheduler: false });
    for (const r of roles) tokens[r] = (await t.tokenFor(r)).token;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('declares roles (or public) on every /api route, and only health and login are public', () => {
    const routes = t.app.apiRoutes;
    expect(routes.length).toBeGreaterThan(20);
    const pub = routes.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    // Public on purpose: health, sign-in, the signed inbound webhook (HMAC instead), a customer's verification link.
    for (const p of pub)
      expect(p).toMatch(/\/health$|\/auth\/login$|\/channels\/:id\/webhook$|\/link-verifications\//);
  });

  it('answers 401 without credentials and 403 for roles not allowed, on every route', async () => {
    const failures: string[] = [];
    for (const r of t.app.apiRoutes.filter((x) => !x.public && !x.url.endsWith('/live'))) {
      const url = fill(r.url);
      const anon = await t.app.inject({
        method: r.method as 'GET',
        url,
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      if (anon.statusCode !== 401)
        failures.push(`${r.method} ${r.url} without credentials → ${anon.statusCode}`);
      for (const role of roles.filter((x) => !r.roles.includes(x))) {
        const res = await t.app.inject({
          method: r.method as 'GET',
          url,
          headers: { authorization: `Bearer ${tokens[role]}` },
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        if (res.statusCode !== 403) failures.push(`${r.method} ${r.url} as ${role} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('rejects a malformed or revoked bearer token', async () => {
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/cases',
      headers: { authorization: 'Basic abc' },
    });
    expect(bad.statusCode).toBe(401);
    const me = await t.tokenFor('agent');
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${me.token}` },
    });
    const id = list.json().items[0].id;
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${id}`,
      headers: { authorization: `Bearer ${me.token}` },
    });
    expect(del.statusCode).toBe(200);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/cases',
      headers: { authorization: `Bearer ${me.token}` },
    });
    expect(after.statusCode).toBe(401);
  });

  it('signs in with a session cookie (argon2id hash stored), and signs out', async () => {
    const u = await t.tokenFor('agent');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: 'correct horse battery' },
    });
    expect(ok.statusCode).toBe(200);
    const cookie = ok.cookies.find((c) => c.name === 'earshot_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { earshot_session: cookie.value },
    });
    expect(me.json().user.email).toBe(u.email);
    const { users } = await import('../../modules/users/users.schema.ts');
    const { eq } = await import('drizzle-orm');
    const [row] = await t.ctx.db.select().from(users).where(eq(users.email, u.email));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { earshot_session: cookie.value },
    });
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { earshot_session: cookie.value },
    });
    expect(after.statusCode).toBe(401);
  });

  it('serves health without auth and the OpenAPI document', async () => {
    const h = await t.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(h.json()).toMatchObject({ status: 'ok', database: driver, bus: 'memory' });
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain('/api/v1/cases');
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
  });
});
