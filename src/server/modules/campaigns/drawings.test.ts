import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { main } from '../../cli.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { verifyDraw } from './drawing-algorithm.ts';

const WEEK = { start: '2024-06-03T00:00:00Z', end: '2024-06-10T00:00:00Z' };
let seq = 0;
const post = (
  channel: string,
  handle: string,
  at: string,
  text: string,
  email?: string,
): NormalisedPostInput => ({
  channel,
  externalId: `d-${++seq}`,
  author: { externalId: `${channel}-${handle}`, handle, ...(email ? { email } : {}) },
  text,
  createdAt: at,
  direction: 'inbound',
});

describe.each(drivers)('weekly drawing on %s', (driver) => {
  let t: TestApp;
  let admin: { authorization: string };
  let manager: { authorization: string };
  let agent: { authorization: string };
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers?: Record<string, string>,
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      ...(headers ? { headers } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = { authorization: `Bearer ${(await t.tokenFor('admin')).token}` };
    manager = { authorization: `Bearer ${(await t.tokenFor('manager')).token}` };
    agent = { authorization: `Bearer ${(await t.tokenFor('agent')).token}` };
    await t.tokenFor('agent', 'fay@northwind.example'); // an employee
    expect(
      (
        await call('PUT', '/api/v1/settings/brand', admin, {
          name: 'Northwind',
          handles: ['northwindcares'],
          emails: [],
          domains: [],
        })
      ).statusCode,
    ).toBe(200);
    const posts = [
      // Ann has two identities linked by her e-mail: one entry.
      post(
        'sandbox',
        'ann',
        '2024-06-03T09:00:00Z',
        '@northwindcares loving the northwindweek deals',
        'ann@example.com',
      ),
      post(
        'x',
        'ann_x',
        '2024-06-04T09:00:00Z',
        '@northwindcares northwindweek again, yes please',
        'ann@example.com',
      ),
      // Ben posts twice: one entry.
      post('sandbox', 'ben', '2024-06-05T10:00:00Z', '@northwindcares my northwindweek haul'),
      post('sandbox', 'ben', '2024-06-06T10:00:00Z', '@northwindcares northwindweek part two'),
      post('sandbox', 'hal', '2024-06-09T23:59:00Z', '@northwindcares last minute northwindweek entry'),
      // Outside the window, or not matching: no entry.
      post('sandbox', 'cat', '2024-06-10T00:00:00Z', '@northwindcares northwindweek too late'),
      post('sandbox', 'gus', '2024-06-05T12:00:00Z', '@northwindcares just saying hello'),
      // The brand itself, an opted-out person, a do-not-contact handle, an employee: excluded.
      {
        ...post('sandbox', 'northwindcares', '2024-06-04T12:00:00Z', 'Join northwindweek and win!'),
        direction: 'outbound' as const,
      },
      post('sandbox', 'dan', '2024-06-04T13:00:00Z', '@northwindcares northwindweek is fun'),
      post('sandbox', 'dan', '2024-06-05T13:00:00Z', '@northwindcares stop'),
      post('sandbox', 'eve', '2024-06-04T14:00:00Z', '@northwindcares northwindweek!'),
      post(
        'sandbox',
        'fay',
        '2024-06-04T15:00:00Z',
        '@northwindcares northwindweek from the staff',
        'fay@northwind.example',
      ),
    ];
    for (const p of posts) {
      const res = await call('POST', '/api/v1/posts', admin, { posts: [p] });
      expect(res.json().results[0].outcome, p.text).toBe('stored');
      await t.idle();
    }
    expect(
      (
        await call('POST', '/api/v1/do-not-contact', agent, {
          channel: 'sandbox',
          handle: '@eve',
          reason: 'asked us by phone',
        })
      ).statusCode,
    ).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = (body: Record<string, unknown>, headers = manager) =>
    call('POST', '/api/v1/drawings', headers, {
      name: 'Northwind week',
      prize: '$25 gift card',
      windowStart: WEEK.start,
      windowEnd: WEEK.end,
      ...body,
    });

  it('publishes the commitment at creation and keeps the seed secret', async () => {
    const res = await create({ query: 'northwindweek' });
    expect(res.statusCode, res.body).toBe(201);
    const d = res.json();
    expect(d).toMatchObject({ status: 'open', entrants: 0, seed: null, winner: null });
    expect(d.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify((await call('GET', `/api/v1/drawings/${d.id}`, agent)).json())).not.toMatch(
      /"seed":"[0-9a-f]/,
    );
  });

  it('draws among people (one entry across identities, exclusions applied) and anyone can verify it', async () => {
    const { id, commitment } = (await create({ query: 'northwindweek' })).json();
    const drawn = await call('POST', `/api/v1/drawings/${id}/draw`, manager, {});
    expect(drawn.statusCode, drawn.body).toBe(200);
    const d = drawn.json();
    expect(d.status).toBe('drawn');
    expect(d.entrants).toBe(3);
    expect(d.excluded).toMatchObject({ optedOut: 1, doNotContact: 1, employee: 1 });
    expect(createHash('sha256').update(Buffer.from(d.seed, 'hex')).digest('hex')).toBe(commitment);

    const list = (await call('GET', `/api/v1/drawings/${id}/entrants`, agent)).json();
    const labels = list.entrants.map((e: { label: string }) => e.label).sort();
    expect(labels).toEqual(['sandbox:ann x:ann_x', 'sandbox:ben', 'sandbox:hal']);
    const keys = list.entrants.map((e: { entrantKey: string }) => e.entrantKey);
    expect(keys).toEqual([...keys].sort());
    expect(createHash('sha256').update(keys.join('\n')).digest('hex')).toBe(d.verification.entrantsHash);
    expect(d.winner.entrantKey).toBe(keys[d.verification.winnerIndex]);

    const published = {
      commitment: d.commitment,
      seed: d.seed,
      entrants: keys,
      entrantsHash: d.verification.entrantsHash,
      winnerIndex: d.verification.winnerIndex,
      winnerKey: d.winner.entrantKey,
    };
    expect(verifyDraw(published).ok).toBe(true);
    expect((await call('GET', `/api/v1/drawings/${id}/verify`, agent)).json().ok).toBe(true);
    // A tampered list does not verify.
    expect(
      verifyDraw({ ...published, entrants: [...keys.slice(1), '00000000-0000-4000-8000-000000000000'] }).ok,
    ).toBe(false);

    const audit = (await call('GET', '/api/v1/audit?limit=200', admin)).json().items as {
      action: string;
      targetId: string;
    }[];
    expect(
      audit
        .filter((a) => a.targetId === id)
        .map((a) => a.action)
        .sort(),
    ).toEqual(['drawing.created', 'drawing.drawn']);
    expect((await call('POST', `/api/v1/drawings/${id}/draw`, manager, {})).json().error.code).toBe(
      'already_drawn',
    );
  });

  it('`earshot drawing verify` recomputes a published drawing offline', async () => {
    const { id } = (await create({ query: 'northwindweek' })).json();
    const drawing = (await call('POST', `/api/v1/drawings/${id}/draw`, manager, {})).json();
    const entrants = (await call('GET', `/api/v1/drawings/${id}/entrants`, agent)).json();
    const dir = mkdtempSync(join(tmpdir(), 'earshot-drawing-'));
    const file = (name: string, content: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      return path;
    };
    const quiet = async (argv: string[]) => {
      const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        return await main(argv);
      } finally {
        out.mockRestore();
        err.mockRestore();
      }
    };
    expect(await quiet(['drawing', 'verify', file('published.json', { drawing, entrants })])).toBe(0);
    const tampered = { drawing, entrants: { ...entrants, entrants: entrants.entrants.slice(1) } };
    expect(await quiet(['drawing', 'verify', file('tampered.json', tampered)])).toBe(1);
    expect(await quiet(['drawing', 'verify', file('broken.json', '{"seed": 1')])).toBe(2);
    expect(await quiet(['drawing', 'verify', join(dir, 'missing.json')])).toBe(2);
    rmSync(dir, { recursive: true, force: true });
  });

  it('also qualifies posts by topic', async () => {
    const topic = await call('POST', '/api/v1/topics', admin, { name: 'Week', query: 'northwindweek' });
    expect(topic.statusCode, topic.body).toBe(201);
    const later = post('sandbox', 'ivy', '2024-06-07T08:00:00Z', 'northwindweek is the best week');
    expect((await call('POST', '/api/v1/posts', admin, { posts: [later] })).json().results[0].outcome).toBe(
      'stored',
    );
    await t.idle();
    const { id } = (await create({ topicId: topic.json().id })).json();
    const d = (await call('POST', `/api/v1/drawings/${id}/draw`, manager, {})).json();
    expect(d.entrants).toBe(1);
    expect(d.winner.label).toBe('sandbox:ivy');
  });

  it('draws only after the window unless an admin forces it', async () => {
    const open = (
      await create({ query: 'northwindweek', windowEnd: new Date(Date.now() + 86_400_000).toISOString() })
    ).json();
    const early = await call('POST', `/api/v1/drawings/${open.id}/draw`, manager, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('window_open');
    expect(
      (await call('POST', `/api/v1/drawings/${open.id}/draw`, manager, { force: true })).statusCode,
    ).toBe(403);
    const forced = await call('POST', `/api/v1/drawings/${open.id}/draw`, admin, { force: true });
    expect(forced.statusCode, forced.body).toBe(200);
    expect(forced.json().status).toBe('drawn');
  });

  it('notifies the winner once by private message and tracks fulfilment', async () => {
    // Only Ben's post qualifies: a sandbox identity, so the private message can be "sent".
    const { id } = (await create({ query: 'northwindweek AND haul' })).json();
    const d = (await call('POST', `/api/v1/drawings/${id}/draw`, manager, {})).json();
    const first = await call('POST', `/api/v1/drawings/${id}/notify`, agent, {});
    expect(first.statusCode, first.body).toBe(202);
    expect(first.json().text).toContain('$25 gift card');
    expect((await call('POST', `/api/v1/drawings/${id}/notify`, agent, {})).json().duplicate).toBe(true);
    const c = (await call('GET', `/api/v1/cases/${first.json().caseId}`, agent)).json();
    expect(c.personId).toBe(d.winner.personId);
    const done = await call('POST', `/api/v1/drawings/${id}/fulfilment`, manager, {
      status: 'sent',
      note: 'mailed on Monday',
    });
    expect(done.statusCode).toBe(200);
    expect((await call('GET', `/api/v1/drawings/${id}`, agent)).json().fulfilment).toMatchObject({
      status: 'sent',
      note: 'mailed on Monday',
    });
  });

  it('guards every route and names bad input', async () => {
    expect((await call('GET', '/api/v1/drawings')).statusCode).toBe(401);
    expect((await create({ query: 'northwindweek' }, agent)).statusCode).toBe(403);
    const { id } = (await create({ query: 'northwindweek' })).json();
    expect((await call('POST', `/api/v1/drawings/${id}/draw`, agent, {})).statusCode).toBe(403);
    const viewer = { authorization: `Bearer ${(await t.tokenFor('viewer')).token}` };
    expect((await call('POST', `/api/v1/drawings/${id}/notify`, viewer, {})).statusCode).toBe(403);
    const bad = await create({ query: 'northwindweek AND (' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_query', details: { field: 'query' } });
    expect(
      (await create({ query: 'a', topicId: '00000000-0000-4000-8000-000000000000' })).json().error.code,
    ).toBe('query_or_topic');
    expect(
      (await create({ query: 'a', windowStart: WEEK.end, windowEnd: WEEK.start })).json().error.code,
    ).toBe('invalid_window');
    const missing = await create({ query: 'a', windowEnd: 'next week' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/windowEnd/);
  });
});
