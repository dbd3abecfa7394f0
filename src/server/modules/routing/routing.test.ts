import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/db/platform.schema.ts';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';

describe.each(drivers)('routing to the right owner on %s', (driver) => {
  let t: Care;
  let manager: Caller;
  let agent: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    manager = await t.as('manager');
    agent = await t.as('agent');
  });
  afterAll(async () => {
    await t?.close();
  });

  const caseOfNew = async (text: string, author?: { externalId: string; handle: string }) => {
    // Every probe reports a problem, so triage opens a case for it.
    const [p] = await t.ingest({ text: `${text} (my router is broken)`, ...(author ? { author } : {}) });
    return (await agent.call('GET', `/api/v1/cases/${await t.caseOf(p!.externalId)}`)).body;
  };

  it('teams CRUD with members, strategy, SLA and calendar (manager; agents read only; audited)', async () => {
    const a = await t.as('agent', { name: 'Ann' });
    const created = await manager.call('POST', '/api/v1/teams', {
      name: 'Tier 2',
      description: 'Escalations',
      assignmentStrategy: 'least_loaded',
      sla: { firstResponseMinutes: 15, nextResponseMinutes: 30, resolutionMinutes: 600 },
      memberIds: [a.userId],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Tier 2',
      assignmentStrategy: 'least_loaded',
      sla: { warnBeforeMinutes: 15 },
    });
    expect(created.body.members.map((m: { id: string }) => m.id)).toEqual([a.userId]);
    expect((await manager.call('POST', '/api/v1/teams', { name: 'tier 2' })).status).toBe(409);
    const patched = await manager.call('PATCH', `/api/v1/teams/${created.body.id}`, {
      assignmentStrategy: 'round_robin',
    });
    expect(patched.body.assignmentStrategy).toBe('round_robin');
    expect(
      (await manager.call('PUT', `/api/v1/teams/${created.body.id}/members/${agent.userId}`)).body.members,
    ).toHaveLength(2);
    expect(
      (await manager.call('DELETE', `/api/v1/teams/${created.body.id}/members/${agent.userId}`)).body.members,
    ).toHaveLength(1);
    expect(
      (await agent.call('GET', '/api/v1/teams')).body.items.some(
        (x: { name: string }) => x.name === 'Tier 2',
      ),
    ).toBe(true);
    expect((await agent.call('POST', '/api/v1/teams', { name: 'Nope' })).status).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/teams' })).statusCode).toBe(401);
    expect(
      (await manager.call('POST', '/api/v1/teams', { name: 'Bad', assignmentStrategy: 'random' })).status,
    ).toBe(400);
    expect((await manager.call('DELETE', `/api/v1/teams/${created.body.id}`)).status).toBe(204);
    expect((await manager.call('GET', `/api/v1/teams/${created.body.id}`)).status).toBe(404);
    const actions = (
      await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, created.body.id))
    ).map((x) => x.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'team.created',
        'team.updated',
        'team.member_added',
        'team.member_removed',
        'team.deleted',
      ]),
    );
  });

  it('rules route on keywords, channel, intent and customer-account attributes; first match wins', async () => {
    const business = await manager.call('POST', '/api/v1/teams', { name: 'Business' });
    const fibre = await manager.call('POST', '/api/v1/teams', { name: 'Fibre' });
    const r1 = await manager.call('POST', '/api/v1/routing-rules', {
      name: 'Business accounts',
      position: 1,
      conditions: { account: { plan: ['business'] } },
      teamId: business.body.id,
      addTags: ['b2b'],
    });
    expect(r1.status).toBe(201);
    const r2 = await manager.call('POST', '/api/v1/routing-rules', {
      name: 'Fibre words',
      position: 2,
      conditions: { keywords: ['fibre', 'fiber'], channels: ['sandbox'] },
      teamId: fibre.body.id,
    });
    expect(r2.status).toBe(201);
    expect(
      (await manager.call('POST', '/api/v1/routing-rules', { name: 'x', conditions: { colour: ['red'] } }))
        .status,
    ).toBe(400);
    expect((await agent.call('POST', '/api/v1/routing-rules', { name: 'x' })).status).toBe(403);

    const fibreCase = await caseOfNew('@northwindcares my FIBRE line keeps dropping');
    expect(fibreCase.queue.name).toBe('Fibre');
    expect(
      fibreCase.timeline.some(
        (e: { type: string; body: string }) => e.type === 'routed' && e.body.includes('Fibre words'),
      ),
    ).toBe(true);

    const upsert = await manager.call('PUT', '/api/v1/customer-accounts', {
      accounts: [
        {
          accountNumber: 'B-1001',
          name: 'Acme Corp',
          plan: 'business',
          knownHandles: [{ channel: 'sandbox', handle: 'acmeit' }],
        },
      ],
    });
    expect(upsert.body).toEqual({ inserted: 1, updated: 0 });
    const bizCase = await caseOfNew('@northwindcares our fibre office line is down', {
      externalId: 'acme-1',
      handle: 'acmeit',
    });
    expect(bizCase.queue.name).toBe('Business');
    expect(bizCase.tags).toContain('b2b');

    const test = await manager.call('POST', '/api/v1/routing-rules/test', { text: 'fiber please' });
    expect(test.body.rule).toBe('Fibre words');
    const off = await manager.call('PATCH', `/api/v1/routing-rules/${r2.body.id}`, { enabled: false });
    expect(off.body.enabled).toBe(false);
    expect(
      (await manager.call('POST', '/api/v1/routing-rules/test', { text: 'fiber please' })).body.rule,
    ).toBeNull();
    expect((await manager.call('DELETE', `/api/v1/routing-rules/${r1.body.id}`)).status).toBe(204);
    expect(
      (await manager.call('GET', '/api/v1/routing-rules')).body.items.map((r: { id: string }) => r.id),
    ).toEqual([r2.body.id]);
    await manager.call('DELETE', `/api/v1/routing-rules/${r2.body.id}`);
  });

  it('assigns by the queue strategy: round-robin over online agents, least-loaded under capacity, skills; offline agents get nothing', async () => {
    const x = await t.as('agent', { online: true, name: 'Xavier' });
    const y = await t.as('agent', { online: true, name: 'Yara' });
    const z = await t.as('agent', { name: 'Zed (offline)' });
    const team = await manager.call('POST', '/api/v1/teams', {
      name: 'Strategies',
      assignmentStrategy: 'round_robin',
      memberIds: [x.userId, y.userId, z.userId],
    });
    await manager.call('POST', '/api/v1/routing-rules', {
      name: 'strategy probe',
      position: 0,
      conditions: { keywords: ['stratprobe'] },
      teamId: team.body.id,
    });

    const rr = [];
    for (let i = 0; i < 4; i++)
      rr.push((await caseOfNew(`@northwindcares stratprobe round ${i}`)).assignee.id);
    expect(new Set(rr)).toEqual(new Set([x.userId, y.userId]));
    expect(rr[0]).not.toBe(rr[1]);
    expect(rr[2]).toBe(rr[0]);

    // Least-loaded with capacity: Xavier may hold 2 open cases and already holds 2.
    await manager.call('PATCH', `/api/v1/teams/${team.body.id}`, { assignmentStrategy: 'least_loaded' });
    await manager.call('PATCH', `/api/v1/agents/${x.userId}`, { capacity: 2 });
    await manager.call('PATCH', `/api/v1/agents/${y.userId}`, { capacity: 3 });
    const next = await caseOfNew('@northwindcares stratprobe least loaded');
    expect(next.assignee.id).toBe(y.userId);
    const full = await caseOfNew('@northwindcares stratprobe nobody has room');
    expect(full.assignee).toBeNull();
    const agents = (await agent.call('GET', '/api/v1/agents')).body.items;
    expect(agents.find((a: { id: string }) => a.id === y.userId)).toMatchObject({
      openCases: 3,
      capacity: 3,
      availability: 'online',
    });

    // Skills: only members with every required skill.
    await manager.call('PATCH', `/api/v1/agents/${x.userId}`, { capacity: 20, skills: ['spanish'] });
    await manager.call('PATCH', `/api/v1/agents/${y.userId}`, { capacity: 20 });
    await manager.call('PATCH', `/api/v1/teams/${team.body.id}`, {
      assignmentStrategy: 'skills',
      requiredSkills: ['spanish'],
    });
    expect((await caseOfNew('@northwindcares stratprobe hola necesito ayuda')).assignee.id).toBe(x.userId);

    // Availability: Xavier goes away, nobody qualifies.
    await manager.call('PATCH', `/api/v1/agents/${x.userId}`, { availability: 'away' });
    expect((await caseOfNew('@northwindcares stratprobe otra vez')).assignee).toBeNull();
    expect((await agent.call('PATCH', `/api/v1/agents/${x.userId}`, { capacity: 1 })).status).toBe(403);
  });

  it('anyone in the organisation can be assigned, including contributors; the assignment is audited', async () => {
    const owner = await t.as('contributor', { name: 'Field Ops' });
    const c = await caseOfNew('@northwindcares technician needed at my address');
    const res = await agent.call('POST', `/api/v1/cases/${c.id}/assign`, { userId: owner.userId });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toEqual({ id: owner.userId, name: 'Field Ops' });
    expect(res.body.status).toBe('open');
    const [entry] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.action, 'case.assigned'));
    expect(entry).toBeDefined();
    expect((await agent.call('POST', `/api/v1/cases/${c.id}/assign`, {})).status).toBe(400);
  });
});
