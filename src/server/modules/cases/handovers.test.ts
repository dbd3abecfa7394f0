import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';

type Summary = {
  id: string;
  status: string;
  preview: string;
  handedOverBy: string | null;
  assignee: { id: string } | null;
};

describe.each(drivers)('organisation-wide hand-off on %s', (driver) => {
  let t: Care;
  let agent: Caller;
  let contributor: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    agent = await t.as('agent');
    contributor = await t.as('contributor', { name: 'Sam Store' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a contributor hands over pasted text; it becomes a case they follow, and nothing else is visible to them', async () => {
    const res = await contributor.call('POST', '/api/v1/handovers', {
      text: 'A customer in the Elm St store says her bill doubled after the upgrade.',
      note: 'She is upset, account holder is her husband',
    });
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(true);
    const caseId = res.body.case.id;
    expect(res.body.case).toMatchObject({
      channel: 'handover',
      status: 'new',
      handedOverBy: contributor.userId,
    });
    expect(res.body.case.priority.reasons.length).toBeGreaterThan(0);

    const mine = await contributor.call('GET', '/api/v1/handovers');
    expect(mine.body.handedOver.map((c: Summary) => c.id)).toEqual([caseId]);

    // The care team works it; the contributor sees where it stands.
    const [other] = await t.ingest({ text: '@northwindcares my wifi is broken (unrelated case)' });
    const otherId = await t.caseOf(other!.externalId);
    await agent.call('POST', `/api/v1/cases/${caseId}/status`, { status: 'pending' });
    const list = (await contributor.call('GET', '/api/v1/cases')).body.items as Summary[];
    expect(list.map((c) => c.id)).toEqual([caseId]);
    expect(list[0]!.status).toBe('pending');
    expect((await contributor.call('GET', `/api/v1/cases/${caseId}`)).status).toBe(200);
    expect((await contributor.call('GET', `/api/v1/cases/${otherId}`)).status).toBe(403);
    expect((await contributor.call('GET', `/api/v1/cases?assignee=${agent.userId}`)).status).toBe(403);
    expect((await contributor.call('POST', `/api/v1/cases/${otherId}/notes`, { text: 'hi' })).status).toBe(
      403,
    );
  });

  it('an agent assigns a case to a contributor; they see it, add a note and hand it back', async () => {
    const [p] = await t.ingest({ text: '@northwindcares the technician left a cable across my lawn' });
    const caseId = await t.caseOf(p!.externalId);
    expect(
      (await agent.call('POST', `/api/v1/cases/${caseId}/assign`, { userId: contributor.userId })).status,
    ).toBe(200);
    const mine = await contributor.call('GET', '/api/v1/handovers');
    expect(mine.body.assignedToMe.map((c: Summary) => c.id)).toContain(caseId);
    expect(
      (
        await contributor.call('POST', `/api/v1/cases/${caseId}/notes`, {
          text: 'Crew will remove it Tuesday',
        })
      ).status,
    ).toBe(201);
    const back = await contributor.call('POST', `/api/v1/cases/${caseId}/hand-back`, {
      note: 'Scheduled, over to you for the reply',
    });
    expect(back.status).toBe(200);
    expect(back.body.assignee).toBeNull();
    expect(back.body.status).toBe('open');
    const timeline = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body.timeline as {
      type: string;
      body: string;
    }[];
    expect(timeline.map((e) => e.type)).toEqual(
      expect.arrayContaining(['assigned', 'note_added', 'handed_back']),
    );
    // Once handed back, it is no longer theirs.
    expect(
      (await contributor.call('POST', `/api/v1/cases/${caseId}/hand-back`, { note: 'again' })).status,
    ).toBe(403);
    expect((await agent.call('POST', `/api/v1/cases/${caseId}/hand-back`, { note: 'not mine' })).status).toBe(
      403,
    );
  });

  it('a URL of a stored post joins that post’s case', async () => {
    const url = 'https://social.example/@angry/12345';
    const [p] = await t.ingest({ text: '@northwindcares worst service ever', url });
    const caseId = await t.caseOf(p!.externalId);
    const res = await contributor.call('POST', '/api/v1/handovers', { url, note: 'saw this on my feed' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      created: false,
      case: { id: caseId, handedOverBy: contributor.userId },
    });
  });

  it('agents create internal tasks for a team or owner; viewers cannot hand over; bad input names the field', async () => {
    const team = await (await t.as('manager')).call('POST', '/api/v1/teams', { name: 'Legal' });
    const task = await agent.call('POST', '/api/v1/handovers', {
      text: 'Review the refund wording',
      teamId: team.body.id,
      assigneeId: contributor.userId,
    });
    expect(task.status).toBe(201);
    expect(task.body.case.queue.name).toBe('Legal');
    expect(task.body.case.assignee.id).toBe(contributor.userId);
    expect(
      (await contributor.call('POST', '/api/v1/handovers', { text: 'x', teamId: team.body.id })).status,
    ).toBe(403);
    const viewer = await t.as('viewer');
    expect((await viewer.call('POST', '/api/v1/handovers', { text: 'x' })).status).toBe(403);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/handovers', payload: { text: 'x' } })).statusCode,
    ).toBe(401);
    const empty = await contributor.call('POST', '/api/v1/handovers', { text: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toMatch(/text/);
    const badUrl = await contributor.call('POST', '/api/v1/handovers', { url: 'not a url' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toMatch(/url/);
  });
});
