import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';

const BASE = Date.parse('2024-03-04T10:00:00Z');
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();
const customer = (
  externalId: string,
  handle: string,
  channel: string,
  seconds: number,
  text: string,
  inReplyTo?: string,
): NormalisedPostInput => ({
  channel,
  externalId,
  author: { externalId: `u-${handle}`, handle },
  text,
  createdAt: at(seconds),
  direction: 'inbound',
  ...(inReplyTo ? { inReplyTo } : {}),
});
const brand = (
  externalId: string,
  channel: string,
  seconds: number,
  text: string,
  inReplyTo?: string,
): NormalisedPostInput => ({
  channel,
  externalId,
  author: { externalId: 'brand-1', handle: 'northwindcares' },
  text,
  createdAt: at(seconds),
  direction: 'outbound',
  ...(inReplyTo ? { inReplyTo } : {}),
});

// Hand-computed: customer posts a1 (answered after 240 s), a2 (420 s), b1 (540 s), c1 (never);
// brand posts r1, r2, rb and one general post g1. Case A has two exchanges: one conversation.
const FIXTURE: NormalisedPostInput[] = [
  customer(
    'a1',
    'alice',
    'sandbox',
    0,
    '@northwindcares my internet is down since this morning, please help',
  ),
  brand('r1', 'sandbox', 240, '@alice Sorry to hear that! Can you DM us your account number?', 'a1'),
  customer('a2', 'alice', 'sandbox', 600, '@northwindcares done, I sent it to you', 'r1'),
  brand('r2', 'sandbox', 1020, '@alice Thanks, a technician is on the way', 'a2'),
  customer('b1', 'bob', 'x', 3600, '@northwindcares I was billed twice this month, please fix it'),
  brand('rb', 'x', 4140, '@bob We refunded the second charge', 'b1'),
  brand('g1', 'x', 7200, 'Our stores are open on Sunday'),
  customer('c1', 'carol', 'sandbox', 86_400, '@northwindcares the app keeps crashing when I log in'),
];

describe.each(drivers)('analytics summary on %s', (driver) => {
  let t: TestApp;
  let auth: { authorization: string };
  const get = (url: string, headers = auth) => t.app.inject({ method: 'GET', url, headers });
  const summary = async (from: string, to: string, extra = '') => {
    const res = await get(
      `/api/v1/analytics/summary?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}${extra}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = { authorization: `Bearer ${(await t.tokenFor('admin')).token}` };
    const brandRes = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/brand',
      headers: auth,
      payload: { name: 'Northwind', handles: ['northwindcares'], emails: [], domains: [] },
    });
    expect(brandRes.statusCode).toBe(200);
    // One post at a time, as they would arrive.
    for (const post of FIXTURE) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/posts',
        headers: auth,
        payload: { posts: [post] },
      });
      expect(res.json().results[0].outcome).toBe('stored');
      await t.idle();
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('matches the hand-computed counts, response rate and first-response times', async () => {
    const s = await summary('2024-03-04T00:00:00Z', '2024-03-06T00:00:00Z');
    expect(s.totals).toMatchObject({
      inbound: 4,
      outbound: 4,
      addressedToBrand: 4,
      responded: 3,
      conversations: 1,
      responseRate: 0.75,
      firstResponseSeconds: { median: 420, p90: 540 },
      casesOpened: 3,
      sla: { met: 2, missed: 0, attainment: 1 },
    });
    const byChannel = Object.fromEntries(s.byChannel.map((c: { channel: string }) => [c.channel, c]));
    expect(byChannel.sandbox).toMatchObject({
      inbound: 3,
      outbound: 2,
      responded: 2,
      conversations: 1,
      firstResponseSeconds: { median: 240 },
    });
    expect(byChannel.x).toMatchObject({
      inbound: 1,
      outbound: 2,
      responded: 1,
      conversations: 0,
      responseRate: 1,
    });
    expect(
      s.byDay.map((d: { day: string; inbound: number; responded: number }) => [
        d.day,
        d.inbound,
        d.responded,
      ]),
    ).toEqual([
      ['2024-03-04', 3, 3],
      ['2024-03-05', 1, 0],
    ]);
  });

  it('counts the sentiment mix the triage stage stored on the posts', async () => {
    const posts = (await get('/api/v1/posts?limit=200')).json().items as {
      direction: string;
      sentiment: string | null;
      createdAt: string;
    }[];
    const inbound = posts.filter((p) => p.direction === 'inbound' && p.createdAt < '2024-03-06');
    const s = await summary('2024-03-04T00:00:00Z', '2024-03-06T00:00:00Z');
    for (const k of ['negative', 'neutral', 'positive'] as const) {
      expect(s.totals.sentiment[k]).toBe(inbound.filter((p) => p.sentiment === k).length);
    }
    expect(s.totals.sentiment.unknown).toBe(inbound.filter((p) => p.sentiment === null).length);
  });

  it('honours the range and the time zone of days', async () => {
    const day2 = await summary('2024-03-05T00:00:00Z', '2024-03-06T00:00:00Z');
    expect(day2.totals).toMatchObject({
      inbound: 1,
      responded: 0,
      responseRate: 0,
      firstResponseSeconds: { median: null, p90: null },
    });
    const kiritimati = await summary(
      '2024-03-04T00:00:00Z',
      '2024-03-06T00:00:00Z',
      '&tz=Pacific/Kiritimati',
    );
    expect(kiritimati.byDay.map((d: { day: string }) => d.day)).toEqual(['2024-03-05', '2024-03-06']);
  });

  it('never counts a redelivered event twice', async () => {
    const before = await summary('2024-03-04T00:00:00Z', '2024-03-06T00:00:00Z');
    const posts = (await get('/api/v1/posts?limit=200')).json().items as {
      id: string;
      caseId: string | null;
    }[];
    for (const p of posts)
      await t.ctx.bus.publish('post.processed', { postId: p.id, caseId: p.caseId, created: false });
    await t.idle();
    expect((await summary('2024-03-04T00:00:00Z', '2024-03-06T00:00:00Z')).totals).toEqual(before.totals);
  });

  it('counts an agent reply from the outbox as the response, by agent and mode, and resolutions', async () => {
    const agent = await t.tokenFor('agent');
    const now = Date.now();
    const post = {
      ...customer(
        'd1',
        'dave',
        'sandbox',
        0,
        '@northwindcares my order never arrived, where is it? please help',
      ),
      createdAt: new Date(now - 300_000).toISOString(),
    };
    const stored = (
      await t.app.inject({ method: 'POST', url: '/api/v1/posts', headers: auth, payload: { posts: [post] } })
    ).json().results[0];
    await t.idle();
    const { caseId } = (await get(`/api/v1/posts/${stored.postId}`)).json();
    expect(caseId).toBeTruthy();
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/replies`,
      headers: { authorization: `Bearer ${agent.token}` },
      payload: { mode: 'public', text: 'We are looking into it right now' },
    });
    expect(reply.statusCode, reply.body).toBe(202);
    const from = new Date(now - 3_600_000).toISOString();
    const to = new Date(now + 3_600_000).toISOString();
    // The scheduler sends the reply; wait (bounded) until the rollups have seen it.
    let s = await summary(from, to);
    for (let i = 0; i < 200 && s.totals.responded === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      await t.idle();
      s = await summary(from, to);
    }
    expect(s.totals).toMatchObject({
      inbound: 1,
      outbound: 1,
      responded: 1,
      responseRate: 1,
      replies: { public: 1 },
    });
    const delay = (Date.now() - (now - 300_000)) / 1000;
    expect(s.totals.firstResponseSeconds.median).toBeGreaterThanOrEqual(299);
    expect(s.totals.firstResponseSeconds.median).toBeLessThanOrEqual(delay + 5);
    expect(s.workload.agents).toContainEqual(expect.objectContaining({ userId: agent.userId, replies: 1 }));

    const openBefore = s.backlog.open;
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/status`,
      headers: auth,
      payload: { status: 'resolved' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    await t.idle();
    const after = await summary(from, to);
    expect(after.totals.resolved).toBe(1);
    expect(after.totals.resolutionSeconds.median).toBeGreaterThanOrEqual(299);
    expect(after.backlog.open).toBe(openBefore - 1);
  });

  it('exports any report as CSV, and one row per case', async () => {
    const q = 'from=2024-03-04T00:00:00Z&to=2024-03-06T00:00:00Z';
    const res = await get(`/api/v1/analytics/export?report=by-day&${q}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = res.body
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = header!.indexOf('inbound');
    expect(rows.map((r) => [r[0], r[col]])).toEqual([
      ['2024-03-04', '3'],
      ['2024-03-05', '1'],
    ]);
    const cases = await get(`/api/v1/analytics/export?report=cases&${q}`);
    const lines = cases.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,number,status,channel/);
    expect(lines).toHaveLength(1 + 3);
  });

  it('guards the routes and rejects bad input with a clear 400', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/analytics/summary' })).statusCode).toBe(401);
    const contributor = await t.tokenFor('contributor');
    expect(
      (await get('/api/v1/analytics/summary', { authorization: `Bearer ${contributor.token}` })).statusCode,
    ).toBe(403);
    const viewer = await t.tokenFor('viewer');
    expect(
      (await get('/api/v1/analytics/summary', { authorization: `Bearer ${viewer.token}` })).statusCode,
    ).toBe(200);
    const reversed = await get('/api/v1/analytics/summary?from=2024-03-06T00:00:00Z&to=2024-03-04T00:00:00Z');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.code).toBe('invalid_range');
    const badTz = await get('/api/v1/analytics/summary?tz=Mars/Olympus');
    expect(badTz.statusCode).toBe(400);
    expect(badTz.json().error.message).toMatch(/tz/);
    expect((await get('/api/v1/analytics/export?report=nonsense')).statusCode).toBe(400);
  });
});
