import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';

let seq = 0;
const post = (text: string, over: Partial<NormalisedPostInput> = {}): NormalisedPostInput => ({
  channel: 'sandbox',
  externalId: `lt-${Date.now()}-${++seq}`,
  author: { externalId: `u-${seq}`, handle: `user${seq}` },
  text,
  createdAt: new Date().toISOString(),
  direction: 'inbound',
  ...over,
});

describe.each(drivers)('listening topics on %s', (driver) => {
  let t: TestApp;
  let admin: { authorization: string };
  let agent: { authorization: string };
  let viewer: { authorization: string };

  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers = admin,
    payload?: unknown,
  ) =>
    t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ingest = async (posts: NormalisedPostInput[]) => {
    const res = await call('POST', '/api/v1/posts', admin, { posts });
    expect(res.statusCode).toBe(200);
    await t.idle();
    return res.json().results as { outcome: string; postId?: string; reason?: string }[];
  };

  beforeAll(async () => {
    t = await createTestApp(driver, { scheduler: false });
    admin = { authorization: `Bearer ${(await t.tokenFor('admin')).token}` };
    agent = { authorization: `Bearer ${(await t.tokenFor('agent')).token}` };
    viewer = { authorization: `Bearer ${(await t.tokenFor('viewer')).token}` };
  });
  afterAll(async () => {
    await t?.close();
  });

  it('comcast OR xfinity keeps the complaint, the hashtag and the mention, and drops the e-mail address and the URL', async () => {
    const created = await call('POST', '/api/v1/topics', admin, {
      name: 'Comcast',
      query: 'comcast OR xfinity',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Comcast', query: 'comcast OR xfinity', enabled: true });
    const results = await ingest([
      post('Comcast has been down since 6am and nobody answers the phone'),
      post('Three hours on hold. #Xfinity'),
      post('@comcast why did my bill double?'),
      post('Lovely recipe! Questions? write to jane@comcast.net'),
      post('Deals this week: https://www.comcast.net/deals'),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['stored', 'stored', 'stored', 'dropped', 'dropped']);
    expect(results[3]!.reason).toBe('no_topic_match');
  });

  it('rejects an invalid query with the position and what was expected', async () => {
    const res = await call('POST', '/api/v1/topics', admin, {
      name: 'Bad',
      query: 'comcast AND (xfinity OR',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'invalid_query',
      message: 'Expected a term or "(" at position 23',
      details: { field: 'query', position: 23, expected: 'a term or "("' },
    });
    const inExcludes = await call('POST', '/api/v1/topics', admin, {
      name: 'Bad',
      query: 'comcast',
      excludes: ['ok', 'jobs)'],
    });
    expect(inExcludes.json().error.details).toMatchObject({ field: 'excludes[1]', position: 4 });
    const preview = await call('POST', '/api/v1/topics/preview', admin, { query: 'NOT comcast' });
    expect(preview.statusCode).toBe(400);
    expect(preview.json().error.details).toMatchObject({ position: 0, expected: 'a term to look for' });
  });

  it('applies topic changes to the next post, without a restart', async () => {
    const res = await call('POST', '/api/v1/topics', admin, { name: 'Carrier', query: 'verizon' });
    const id = res.json().id as string;
    expect((await ingest([post('switching to tmobile tomorrow')]))[0]!.outcome).toBe('dropped');
    const patched = await call('PATCH', `/api/v1/topics/${id}`, admin, { query: 'verizon OR tmobile' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().version).toBe(2);
    expect((await ingest([post('switching to tmobile next week')]))[0]!.outcome).toBe('stored');
    await call('PATCH', `/api/v1/topics/${id}`, admin, { enabled: false });
    expect((await ingest([post('switching to tmobile, final answer')]))[0]!.outcome).toBe('dropped');
    expect((await call('DELETE', `/api/v1/topics/${id}`)).statusCode).toBe(204);
    expect((await call('GET', `/api/v1/topics/${id}`)).statusCode).toBe(404);
  });

  it('applies the noise filters: reposts, excluded authors, minimum length, languages', async () => {
    await call('POST', '/api/v1/topics', admin, {
      name: 'Filtered',
      query: 'fibrelink',
      filters: { dropReposts: true, excludedAuthors: ['@spammer'], minLength: 20, languages: ['en'] },
    });
    const results = await ingest([
      post('fibrelink is down again in my street', { isRepost: true }),
      post('fibrelink is down again in my street', { author: { externalId: 's1', handle: 'Spammer' } }),
      post('fibrelink down'),
      post('fibrelink ist schon wieder ausgefallen', { lang: 'de' }),
      post('fibrelink is down again in my street', { lang: 'en-GB' }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['dropped', 'dropped', 'dropped', 'dropped', 'stored']);
  });

  it('previews a draft query over stored posts with highlights', async () => {
    const res = await call('POST', '/api/v1/topics/preview', admin, { query: 'comcast OR #xfinity' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      total: number;
      scanned: number;
      matches: { text: string; highlights: [number, number][] }[];
    };
    expect(body.total).toBe(3);
    expect(body.scanned).toBeGreaterThanOrEqual(body.total);
    for (const m of body.matches) {
      expect(m.highlights.length).toBeGreaterThan(0);
      for (const [s, e] of m.highlights)
        expect(m.text.slice(s, e).toLowerCase()).toMatch(/^(comcast|#xfinity)$/);
    }
  });

  it('learns from "not relevant": precision per day and suggested exclusion terms', async () => {
    const res = await call('POST', '/api/v1/topics', admin, { name: 'Acme', query: 'acme' });
    const id = res.json().id as string;
    const noise = ['acme jobs fair this friday', 'acme is hiring, jobs at the plant', 'new acme jobs posted'];
    const good = [
      'acme support never called back',
      'acme outage downtown',
      'acme billing is wrong again',
      'acme app keeps crashing',
    ];
    const stored = await ingest([...noise, ...good].map((text) => post(text)));
    expect(stored.every((r) => r.outcome === 'stored')).toBe(true);
    for (const r of stored.slice(0, noise.length)) {
      const d = await call('POST', `/api/v1/topics/${id}/matches/${r.postId}/dismiss`, agent);
      expect(d.statusCode).toBe(200);
      expect(d.json().dismissedAt).not.toBeNull();
    }
    const precision = (await call('GET', `/api/v1/topics/${id}/precision?days=7`, viewer)).json();
    expect(precision).toMatchObject({ matches: 7, dismissed: 3 });
    expect(precision.precision).toBeCloseTo(4 / 7);
    expect(precision.byDay).toHaveLength(7);
    const suggestions = (await call('GET', `/api/v1/topics/${id}/suggestions`, viewer)).json().items as {
      term: string;
    }[];
    expect(suggestions[0]?.term).toBe('jobs');
    expect(suggestions.map((s) => s.term)).not.toContain('acme');
    const undo = await call('DELETE', `/api/v1/topics/${id}/matches/${stored[0]!.postId}/dismiss`, agent);
    expect(undo.json().dismissedAt).toBeNull();
    const list = (await call('GET', '/api/v1/topics', viewer)).json().items as {
      id: string;
      precision: number;
    }[];
    expect(list.find((x) => x.id === id)?.precision).toBeCloseTo(5 / 7);
    const other = (await ingest([post('verizon fibrelink acmecorp unrelated words here')]))[0]!;
    const notMatched = await call(
      'POST',
      `/api/v1/topics/${id}/matches/${other.postId ?? crypto.randomUUID()}/dismiss`,
      agent,
    );
    expect(notMatched.statusCode).toBe(404);
  });

  it('guards every route by role', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/topics' })).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/topics', viewer)).statusCode).toBe(200);
    expect((await call('POST', '/api/v1/topics', viewer, { name: 'x', query: 'x' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/topics', agent, { name: 'x', query: 'x' })).statusCode).toBe(403);
    expect((await call('POST', '/api/v1/topics/preview', viewer, { query: 'x' })).statusCode).toBe(403);
  });
});
