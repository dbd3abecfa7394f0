import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedPostInput } from '../../common/post.schema.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';
import { type Driver, drivers } from '../testing/test-db.ts';

const post = (over: Partial<NormalisedPostInput> = {}): NormalisedPostInput => ({
  channel: 'sandbox',
  externalId: `p-${Math.random().toString(36).slice(2)}`,
  author: { externalId: 'u-1', handle: 'jane' },
  text: '@northwindcares my internet is down since this morning',
  createdAt: new Date().toISOString(),
  direction: 'inbound',
  ...over,
});

const setups: [string, Driver, 'memory' | 'nats'][] = drivers.map((d) => [
  `${d} + in-process bus`,
  d,
  'memory',
]);
if (process.env.NATS_URL) setups.push(['pglite + NATS JetStream', 'pglite', 'nats']);

describe.each(setups)('pipeline end to end on %s', (_name, driver, bus) => {
  let t: TestApp;
  let auth: { authorization: string };

  beforeAll(async () => {
    t = await createTestApp(driver, { bus });
    const admin = await t.tokenFor('admin');
    auth = { authorization: `Bearer ${admin.token}` };
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/brand',
      headers: auth,
      payload: {
        name: 'Northwind',
        handles: ['northwindcares'],
        emails: ['care@northwind.example'],
        domains: [],
      },
    });
    expect(res.statusCode).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  // Latency (post → case within 1 s) is measured by bench/ingest.bench.ts, not asserted here.
  it('turns a post addressed to the brand into a case without further action', async () => {
    const p = post();
    const started = Date.now();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [p] },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ externalId: p.externalId, outcome: 'stored' });
    let items: { preview: string; priority: { reasons: string[] } }[] = [];
    while (Date.now() - started < 30_000) {
      items = (await t.app.inject({ method: 'GET', url: '/api/v1/cases', headers: auth })).json().items;
      if (items.some((i) => i.preview === p.text)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const found = items.find((i) => i.preview === p.text);
    expect(found, 'case visible').toBeDefined();
    expect(found!.priority.reasons.length).toBeGreaterThan(0);
  });

  it('is idempotent on (channel, externalId), also within one batch', async () => {
    const p = post();
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [p, p] },
    });
    expect(first.json().results.map((r: { outcome: string }) => r.outcome)).toEqual(['stored', 'duplicate']);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [p] },
    });
    expect(again.json().results[0].outcome).toBe('duplicate');
  });

  it('drops (and reports) posts that neither address the brand nor match a topic', async () => {
    const p = post({ text: 'nice weather today', author: { externalId: 'u-2', handle: 'bob' } });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [p] },
    });
    expect(res.json().results[0]).toMatchObject({ outcome: 'dropped', reason: 'no_topic_match' });
  });

  it('rejects malformed posts with 400 naming the field, storing nothing of the batch', async () => {
    const good = post();
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [good, { ...post(), createdAt: 'yesterday' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/posts\.1\.createdAt/);
    const after = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [good] },
    });
    expect(after.json().results[0].outcome).toBe('stored');
  });

  it('threads a customer reply into the open case instead of opening another', async () => {
    const root = post({ author: { externalId: 'u-3', handle: 'carol' } });
    await t.app.inject({ method: 'POST', url: '/api/v1/posts', headers: auth, payload: { posts: [root] } });
    await t.idle();
    const reply = post({
      author: { externalId: 'u-3', handle: 'carol' },
      inReplyTo: root.externalId,
      text: 'still down, any news?',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/posts',
      headers: auth,
      payload: { posts: [reply] },
    });
    await t.idle();
    const [a, b] = await Promise.all(
      [root.externalId, reply.externalId].map(async (id) => {
        const list = (
          await t.app.inject({ method: 'GET', url: '/api/v1/posts?channel=sandbox&limit=200', headers: auth })
        ).json().items;
        return list.find((x: { externalId: string }) => x.externalId === id);
      }),
    );
    expect(res.json().results[0].outcome).toBe('stored');
    expect(a.caseId).toBeTruthy();
    expect(b.caseId).toBe(a.caseId);
    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/v1/cases/${a.caseId}`, headers: auth })
    ).json();
    expect(detail.timeline.filter((e: { kind: string }) => e.kind === 'inbound')).toHaveLength(2);
    expect(detail.person.identities[0].handle).toBe('carol');
  });
});
