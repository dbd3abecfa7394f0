import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { assignConversation } from '../conversations/assign-conversation.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { storePosts } from '../conversations/store-posts.ts';
import { resolvePerson } from '../people/resolve-person.ts';
import { identityKey, upsertIdentities } from '../people/upsert-identities.ts';
import { isOptOut } from './detect-opt-out.ts';

let seq = 0;
const mention = (handle: string, text: string, minutesAgo = 30): NormalisedPostInput => ({
  channel: 'sandbox',
  externalId: `o-${++seq}`,
  author: { externalId: `sb-${handle}`, handle },
  text,
  createdAt: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  direction: 'inbound',
  toBrand: false,
});

type Item = {
  postId: string;
  author: { handle: string; personId: string };
  score: number;
  reasons: string[];
  signals: { sentiment: string | null; intent: string | null; actionable: boolean | null };
};

describe('opt-out phrases', () => {
  it('recognises clear requests and nothing else', () => {
    for (const t of [
      'stop',
      'STOP!',
      '@northwind stop',
      'please leave me alone',
      'Stop messaging me.',
      "don't contact me again",
      'unsubscribe',
    ])
      expect(isOptOut(t), t).toBe(true);
    for (const t of [
      'my internet keeps stopping',
      'stop by the store',
      'the bus stop is closed',
      'leave it to me',
      'alone at home with no wifi',
    ])
      expect(isOptOut(t), t).toBe(false);
  });
});

type Signals = { sentiment: 'negative' | 'neutral' | 'positive'; intent: string; actionable: boolean };

/**
 * A stored, processed mention with known triage signals (the Discover ranking is what is under
 * test here, not the classifier), matched to the topic.
 */
async function seedMention(
  t: TestApp,
  topicId: string,
  handle: string,
  text: string,
  minutesAgo: number,
  s: Signals,
): Promise<string> {
  const post = mention(handle, text, minutesAgo);
  const ids = await upsertIdentities(t.ctx.db, [{ channel: post.channel, author: post.author }]);
  const identityId = ids.get(identityKey(post.channel, post.author.externalId))!;
  const [postId] = await storePosts(t.ctx.db, [
    {
      post: { ...post, direction: 'inbound', toBrand: false },
      identityId,
      topics: [{ topicId, highlights: [] }],
    },
  ]);
  await resolvePerson(t.ctx.db, identityId);
  const [row] = await t.ctx.db.select().from(posts).where(eq(posts.id, postId!));
  await assignConversation(t.ctx.db, row!);
  await t.ctx.db
    .update(posts)
    .set({ ...s, processedAt: new Date() })
    .where(eq(posts.id, postId!));
  return postId!;
}

describe.each(drivers)('Discover queue and outreach guardrails on %s', (driver) => {
  let t: TestApp;
  let admin: { authorization: string };
  let agent: { authorization: string; userId: string };
  const ids: Record<string, string> = {};
  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    headers?: { authorization: string },
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      ...(headers ? { headers: { authorization: headers.authorization } } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const discover = async () =>
    (await call('GET', '/api/v1/discover?limit=200', agent)).json().items as Item[];

  beforeAll(async () => {
    t = await createTestApp(driver);
    admin = { authorization: `Bearer ${(await t.tokenFor('admin')).token}` };
    const a = await t.tokenFor('agent');
    agent = { authorization: `Bearer ${a.token}`, userId: a.userId };
    await call('PUT', '/api/v1/settings/brand', admin, {
      name: 'Northwind',
      handles: ['northwindcares'],
      emails: [],
      domains: [],
    });
    const topic = await call('POST', '/api/v1/topics', admin, { name: 'Northwind', query: 'northwind' });
    expect(topic.statusCode).toBe(201);
    const tid = topic.json().id as string;
    ids.di = await seedMention(t, tid, 'di', 'northwind support never answers, the app keeps crashing', 50, {
      sentiment: 'negative',
      intent: 'technical',
      actionable: true,
    });
    ids.amy1 = await seedMention(
      t,
      tid,
      'amy',
      'northwind internet has been down all day, this is terrible',
      40,
      { sentiment: 'negative', intent: 'outage', actionable: false },
    );
    ids.bo = await seedMention(t, tid, 'bo', 'northwind billed me twice this month', 30, {
      sentiment: 'neutral',
      intent: 'billing',
      actionable: true,
    });
    ids.amy2 = await seedMention(t, tid, 'amy', 'still no northwind internet, I am furious', 20, {
      sentiment: 'negative',
      intent: 'other',
      actionable: false,
    });
    ids.cy = await seedMention(t, tid, 'cy', 'just saw a northwind van drive by', 15, {
      sentiment: 'neutral',
      intent: 'other',
      actionable: false,
    });
    ids.ed = await seedMention(t, tid, 'ed', 'northwind has the nicest staff', 5, {
      sentiment: 'positive',
      intent: 'praise',
      actionable: false,
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists mentions that do not address the brand, most like a customer with a problem first, each with its reasons', async () => {
    const items = await discover();
    // Hand-computed: negative 3, problem intent 2, actionable 2; ties newest first.
    expect(items.map((i) => [i.postId, i.score])).toEqual([
      [ids.di, 7],
      [ids.amy1, 5],
      [ids.bo, 4],
      [ids.amy2, 3],
      [ids.ed, 0],
      [ids.cy, 0],
    ]);
    expect(items[0]!.reasons).toEqual([
      'negative sentiment',
      'problem intent: technical',
      'asks for something (actionable)',
    ]);
    // A post addressed to the brand is in the inbox, not here.
    await call('POST', '/api/v1/posts', admin, {
      posts: [{ ...mention('fe', '@northwindcares my northwind router is broken'), toBrand: true }],
    });
    await t.idle();
    expect((await discover()).some((i) => i.author.handle === 'fe')).toBe(false);
  });

  it('turns a post into an outreach case, then enforces the per-person limit', async () => {
    const res = await call('POST', `/api/v1/discover/${ids.amy1}/outreach`, agent, {
      note: 'offer help with the outage',
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = (await call('GET', `/api/v1/cases/${res.json().caseId}`, agent)).json();
    expect(c).toMatchObject({ isOutreach: true, status: 'open', assignee: { id: agent.userId } });
    expect(c.sla.firstResponseDueAt).toBeNull();
    // Amy reached her limit (one unsolicited contact per 30 days): her other post is gone and refused.
    expect((await discover()).some((i) => i.author.handle === 'amy')).toBe(false);
    const again = await call('POST', `/api/v1/discover/${ids.amy2}/outreach`, agent, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('contact_limit');

    const reply = await call('POST', `/api/v1/cases/${res.json().caseId}/replies`, agent, {
      mode: 'public',
      text: 'Hi Amy, we saw your post. Can we help?',
    });
    expect(reply.statusCode, reply.body).toBe(202);
    const range = `from=${new Date(Date.now() - 3_600_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;
    let s = (await call('GET', `/api/v1/analytics/summary?${range}`, agent)).json();
    for (let i = 0; i < 200 && s.totals.outreach.outbound === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      await t.idle();
      s = (await call('GET', `/api/v1/analytics/summary?${range}`, agent)).json();
    }
    // Outreach is counted apart: not a case a customer opened, not a response to one.
    expect(s.totals.outreach).toMatchObject({ cases: 1, outbound: 1, replied: 1 });
    expect(s.totals.outbound).toBe(0);
    expect(s.byChannel.find((ch: { channel: string }) => ch.channel === 'sandbox')?.responded ?? 0).toBe(0);
  });

  it('respects the do-not-contact list, by person and by handle', async () => {
    const bo = (await discover()).find((i) => i.postId === ids.bo)!;
    const entry = await call('POST', '/api/v1/do-not-contact', agent, {
      personId: bo.author.personId,
      reason: 'asked us by e-mail',
    });
    expect(entry.statusCode, entry.body).toBe(201);
    expect((await discover()).some((i) => i.postId === ids.bo)).toBe(false);
    expect((await call('POST', `/api/v1/discover/${ids.bo}/outreach`, agent, {})).json().error.code).toBe(
      'do_not_contact',
    );
    expect((await call('DELETE', `/api/v1/do-not-contact/${entry.json().id}`, agent)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/do-not-contact/${entry.json().id}`, admin)).statusCode).toBe(200);
    expect((await discover()).some((i) => i.postId === ids.bo)).toBe(true);
    await call('POST', '/api/v1/do-not-contact', agent, {
      channel: 'sandbox',
      handle: '@cy',
      reason: 'journalist',
    });
    expect((await discover()).some((i) => i.postId === ids.cy)).toBe(false);
    expect((await call('POST', `/api/v1/discover/${ids.cy}/outreach`, agent, {})).json().error.code).toBe(
      'do_not_contact',
    );
  });

  it("honours an opt-out in the person's posts", async () => {
    const res = await call('POST', '/api/v1/posts', admin, {
      posts: [mention('di', 'northwind, leave me alone', 1)],
    });
    expect(res.json().results[0].outcome).toBe('stored');
    await t.idle();
    const di = (await call('GET', `/api/v1/posts/${ids.di}`, agent)).json();
    expect(di.caseId).toBeNull();
    expect((await discover()).some((i) => i.postId === ids.di)).toBe(false);
    expect((await call('POST', `/api/v1/discover/${ids.di}/outreach`, agent, {})).json().error.code).toBe(
      'opted_out',
    );
  });

  it('lets an agent dismiss a post, and guards every route', async () => {
    expect((await call('POST', `/api/v1/discover/${ids.ed}/dismiss`, agent)).statusCode).toBe(200);
    expect((await discover()).some((i) => i.postId === ids.ed)).toBe(false);
    expect((await call('GET', '/api/v1/discover')).statusCode).toBe(401);
    const viewer = { authorization: `Bearer ${(await t.tokenFor('viewer')).token}` };
    expect((await call('GET', '/api/v1/discover', viewer)).statusCode).toBe(403);
    expect(
      (await call('PUT', '/api/v1/settings/outreach', agent, { maxContactsPerPerson: 5 })).statusCode,
    ).toBe(403);
    const bad = await call('POST', '/api/v1/do-not-contact', agent, { reason: 'no one named' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/personId/);
    expect((await call('GET', '/api/v1/discover?cursor=abc', agent)).json().error.message).toMatch(/cursor/);
  });
});
