import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/db/platform.schema.ts';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { posts } from '../conversations/conversations.schema.ts';

type TimelineEvent = { kind: string; type: string | null; body: string; post: { id: string } | null };

describe.each(drivers)('case lifecycle on %s', (driver) => {
  let t: Care;
  let agent: Caller;
  let other: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    agent = await t.as('agent', { name: 'Maria Agent' });
    other = await t.as('agent', { name: 'Kofi Agent' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a customer reply reopens a resolved case, on its timeline', async () => {
    const [root] = await t.ingest({ author: { externalId: 'reopen-1', handle: 'reopener' } });
    const caseId = await t.caseOf(root!.externalId);
    const resolved = await agent.call('POST', `/api/v1/cases/${caseId}/status`, { status: 'resolved' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.status).toBe('resolved');
    const [reply] = await t.ingest({
      author: { externalId: 'reopen-1', handle: 'reopener' },
      inReplyTo: root!.externalId,
      text: 'it is down again',
    });
    expect(await t.caseOf(reply!.externalId)).toBe(caseId);
    const c = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body;
    expect(c.status).toBe('open');
    expect(
      c.timeline.some(
        (e: TimelineEvent) => e.type === 'status_changed' && /Reopened by the customer/.test(e.body),
      ),
    ).toBe(true);
    const bad = await agent.call('POST', `/api/v1/cases/${caseId}/status`, { status: 'new' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_transition');
  });

  it('merges duplicate cases into one timeline and closes the others (audited)', async () => {
    const [a, b] = await t.ingest(
      {
        author: { externalId: 'dup-a', handle: 'dupa' },
        text: '@northwindcares my cable box is broken (merge a)',
      },
      {
        author: { externalId: 'dup-b', handle: 'dupb' },
        text: '@northwindcares my cable box is broken too (merge b)',
      },
    );
    const target = await t.caseOf(a!.externalId);
    const source = await t.caseOf(b!.externalId);
    const res = await agent.call('POST', `/api/v1/cases/${target}/merge`, { caseIds: [source] });
    expect(res.status).toBe(200);
    expect(res.body.inboundCount).toBe(2);
    const merged = (await agent.call('GET', `/api/v1/cases/${target}`)).body;
    expect(merged.timeline.filter((e: TimelineEvent) => e.kind === 'inbound')).toHaveLength(2);
    const closed = (await agent.call('GET', `/api/v1/cases/${source}`)).body;
    expect(closed.status).toBe('closed');
    expect(closed.mergedIntoId).toBe(target);
    const [p] = await t.ctx.db
      .select({ caseId: posts.caseId })
      .from(posts)
      .where(eq(posts.externalId, b!.externalId));
    expect(p!.caseId).toBe(target);
    const inbox = (await agent.call('GET', '/api/v1/cases?status=new,open,pending,closed&limit=200')).body
      .items;
    expect(inbox.some((i: { id: string }) => i.id === source)).toBe(false);
    const actions = (await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, source))).map(
      (x) => x.action,
    );
    expect(actions).toContain('case.merged');
    const again = await agent.call('POST', `/api/v1/cases/${target}/merge`, { caseIds: [source] });
    expect(again.status).toBe(409);
    const self = await agent.call('POST', `/api/v1/cases/${target}/merge`, { caseIds: [target] });
    expect(self.status).toBe(400);
  });

  it('splits a different matter into a new case, keeping at least one message', async () => {
    const [root] = await t.ingest({
      author: { externalId: 'split-1', handle: 'splitter' },
      text: '@northwindcares wifi drops every hour',
    });
    const [reply] = await t.ingest({
      author: { externalId: 'split-1', handle: 'splitter' },
      inReplyTo: root!.externalId,
      text: 'also, unrelated: I want to move my contract to my new address',
    });
    const caseId = await t.caseOf(root!.externalId);
    expect(await t.caseOf(reply!.externalId)).toBe(caseId);
    const [row] = await t.ctx.db
      .select({ id: posts.id })
      .from(posts)
      .where(eq(posts.externalId, reply!.externalId));
    const [rootRow] = await t.ctx.db
      .select({ id: posts.id })
      .from(posts)
      .where(eq(posts.externalId, root!.externalId));
    const all = await agent.call('POST', `/api/v1/cases/${caseId}/split`, {
      postIds: [row!.id, rootRow!.id],
    });
    expect(all.status).toBe(400);
    expect(all.body.error.code).toBe('split_everything');
    const res = await agent.call('POST', `/api/v1/cases/${caseId}/split`, {
      postIds: [row!.id],
      subject: 'Move contract',
    });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(caseId);
    expect(res.body.preview).toBe(reply!.text);
    expect(res.body.inboundCount).toBe(1);
    const original = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body;
    expect(original.inboundCount).toBe(1);
    expect(original.preview).toBe(root!.text);
    const foreign = await agent.call('POST', `/api/v1/cases/${caseId}/split`, {
      postIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(foreign.status).toBe(400);
  });

  it('collision prevention: shows who else is viewing or replying, and refuses a reply based on a stale view', async () => {
    const [p] = await t.ingest({ text: '@northwindcares need help with my modem (collision)' });
    const caseId = await t.caseOf(p!.externalId);
    const seenByMaria = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body;
    await agent.call('POST', `/api/v1/cases/${caseId}/presence`, { state: 'viewing' });
    const typing = await other.call('POST', `/api/v1/cases/${caseId}/presence`, { state: 'typing' });
    expect(typing.body.items.map((x: { user: { id: string } }) => x.user.id)).toEqual([agent.userId]);
    const forMaria = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body.presence;
    expect(forMaria).toEqual([
      expect.objectContaining({ user: { id: other.userId, name: 'Kofi Agent' }, state: 'typing' }),
    ]);
    // Kofi replies first; Maria's reply, based on what she saw before, is refused.
    const kofi = await other.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      text: 'Looking into it now!',
      version: seenByMaria.version,
    });
    expect(kofi.status).toBe(202);
    const maria = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      text: 'Hi, can you DM us?',
      version: seenByMaria.version,
    });
    expect(maria.status).toBe(409);
    expect(maria.body.error.code).toBe('stale_case');
    await other.call('POST', `/api/v1/cases/${caseId}/presence`, { state: 'left' });
    expect((await agent.call('GET', `/api/v1/cases/${caseId}/presence`)).body.items).toEqual([]);
  });

  it('records notes, tags, a call-back task and its outcome on the timeline', async () => {
    const [p] = await t.ingest({ text: '@northwindcares please call me about my bill (callback)' });
    const caseId = await t.caseOf(p!.externalId);
    expect(
      (await agent.call('POST', `/api/v1/cases/${caseId}/notes`, { text: 'Customer prefers evenings' }))
        .status,
    ).toBe(201);
    expect(
      (await agent.call('POST', `/api/v1/cases/${caseId}/tags`, { tags: ['billing', ' billing ', 'vip-no'] }))
        .body.tags,
    ).toEqual(['billing', 'vip-no']);
    const task = await agent.call('POST', `/api/v1/cases/${caseId}/callbacks`, {
      phone: '+1 555 0100',
      note: 'after 6pm',
    });
    expect(task.status).toBe(201);
    const done = await agent.call('POST', `/api/v1/cases/${caseId}/callbacks/${task.body.taskId}/outcome`, {
      outcome: 'reached',
      note: 'refund agreed',
    });
    expect(done.status).toBe(200);
    const timeline: TimelineEvent[] = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body.timeline;
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['note_added', 'tagged', 'callback_requested', 'callback_done']),
    );
    const unknownTask = await agent.call('POST', `/api/v1/cases/${caseId}/callbacks/${caseId}/outcome`, {
      outcome: 'reached',
    });
    expect(unknownTask.status).toBe(404);
  });

  it('guards every case route: 401 without credentials, 403 for roles not allowed, 400 naming the field', async () => {
    const [p] = await t.ingest({ text: '@northwindcares my router is broken (roles check)' });
    const caseId = await t.caseOf(p!.externalId);
    const viewer = await t.as('viewer');
    const noAuth = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/merge`,
      payload: { caseIds: [caseId] },
    });
    expect(noAuth.statusCode).toBe(401);
    for (const [url, body] of [
      [`/api/v1/cases/${caseId}/merge`, { caseIds: [caseId] }],
      [`/api/v1/cases/${caseId}/split`, { postIds: [caseId] }],
      [`/api/v1/cases/${caseId}/assign`, { userId: null }],
      [`/api/v1/cases/${caseId}/notes`, { text: 'x' }],
      [`/api/v1/cases/${caseId}/replies`, { mode: 'public', text: 'x' }],
    ] as const) {
      expect((await viewer.call('POST', url, body)).status, url).toBe(403);
    }
    expect((await viewer.call('GET', `/api/v1/cases/${caseId}`)).status).toBe(200);
    const bad = await agent.call('POST', `/api/v1/cases/${caseId}/status`, { status: 'done' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/status/);
  });
});
