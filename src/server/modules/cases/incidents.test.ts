import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/db/platform.schema.ts';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { clusterComplaints, complaintTerms } from './suggest-incidents.ts';

const towns = ['Springfield', 'Shelbyville', 'Ogdenville', 'Capital City', 'North Haverbrook'];
const moods = [
  'again!!',
  'what is going on',
  'since 8am',
  'my kids are bored',
  'please fix',
  'unbelievable',
  'any eta?',
];

describe.each(drivers)('incidents on %s', (driver) => {
  let t: Care;
  let agent: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    agent = await t.as('agent');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('clusters a burst of similar complaints into one suggestion, sends one update to all 20 cases and resolves them together', async () => {
    const outage = Array.from({ length: 20 }, (_, i) => ({
      text: `@northwindcares outage in ${towns[i % towns.length]} ${moods[i % moods.length]}`,
      author: { externalId: `outage-${i}`, handle: `neighbour${i}` },
      ...(i === 7 ? { isPrivate: true } : {}),
    }));
    const unrelated = [
      '@northwindcares how do I change my billing address?',
      '@northwindcares my tv remote is broken',
      '@northwindcares can I upgrade my plan online?',
    ].map((text, i) => ({ text, author: { externalId: `other-${i}`, handle: `other${i}` } }));
    const stored = await t.ingest(...outage, ...unrelated);
    const outageCases = await Promise.all(stored.slice(0, 20).map((p) => t.caseOf(p.externalId)));
    const otherCases = await Promise.all(stored.slice(20).map((p) => t.caseOf(p.externalId)));

    const manager = await t.as('manager');
    expect((await agent.call('POST', '/api/v1/incidents/suggest', {})).status).toBe(403);
    const suggested = await manager.call('POST', '/api/v1/incidents/suggest', {
      windowMinutes: 30,
      minCases: 5,
    });
    expect(suggested.status).toBe(200);
    expect(suggested.body.items).toHaveLength(1);
    const incidentId = suggested.body.items[0].incidentId;
    let incident = (await agent.call('GET', `/api/v1/incidents/${incidentId}`)).body;
    expect(incident.status).toBe('suggested');
    expect(incident.title).toMatch(/outage/);
    expect(incident.linkedCases.map((c: { id: string }) => c.id).sort()).toEqual([...outageCases].sort());
    expect(incident.linkedCases.some((c: { id: string }) => otherCases.includes(c.id))).toBe(false);
    // Running it again links nothing twice and suggests nothing new.
    const again = await manager.call('POST', '/api/v1/incidents/suggest', { windowMinutes: 30, minCases: 5 });
    expect(again.body.items).toEqual([]);

    expect(
      (
        await agent.call('PATCH', `/api/v1/incidents/${incidentId}`, {
          status: 'open',
          title: 'Outage in the north-east',
        })
      ).body.status,
    ).toBe('open');

    const update = {
      text: 'We know about the outage in your area; engineers are on site. Next update within the hour.',
      idempotencyKey: 'upd-1',
    };
    const sent = await agent.call('POST', `/api/v1/incidents/${incidentId}/updates`, update);
    expect(sent.status).toBe(202);
    expect(sent.body.results).toHaveLength(20);
    expect(sent.body.results.every((r: { outcome: string }) => r.outcome === 'queued')).toBe(true);
    const modes = sent.body.results.map((r: { mode: string }) => r.mode);
    expect(modes.filter((m: string) => m === 'private')).toHaveLength(1);
    expect(modes.filter((m: string) => m === 'public')).toHaveLength(19);
    // A retry of the same request queues nothing twice.
    const retry = await agent.call('POST', `/api/v1/incidents/${incidentId}/updates`, update);
    expect(retry.body.results.every((r: { outcome: string }) => r.outcome === 'duplicate')).toBe(true);
    await t.deliver();
    const outbox = (await agent.call('GET', '/api/v1/channels/sandbox/outbox?limit=500')).body.items as {
      caseId: string;
      text: string;
      mode: string;
    }[];
    const updates = outbox.filter((o) => o.text === update.text);
    expect(updates).toHaveLength(20);
    expect(new Set(updates.map((o) => o.caseId))).toEqual(new Set(outageCases));

    const resolved = await agent.call('POST', `/api/v1/incidents/${incidentId}/resolve`, {
      text: 'Service is restored. Sorry for the trouble!',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolvedCases).toBe(20);
    incident = resolved.body.incident;
    expect(incident.status).toBe('resolved');
    expect(incident.updates.map((u: { text: string; cases: number }) => [u.text, u.cases])).toEqual([
      [update.text, 20],
      ['Service is restored. Sorry for the trouble!', 20],
    ]);
    const linked = (
      await agent.call(
        'GET',
        `/api/v1/cases?incident=${incidentId}&status=new,open,pending,resolved&limit=200`,
      )
    ).body.items;
    expect(linked).toHaveLength(20);
    expect(new Set(linked.map((c: { status: string }) => c.status))).toEqual(new Set(['resolved']));
    const stillOpen = await agent.call('GET', `/api/v1/cases/${otherCases[0]}`);
    expect(stillOpen.body.status).not.toBe('resolved');
    const audited = (await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, incidentId))).map(
      (a) => a.action,
    );
    expect(audited).toEqual(
      expect.arrayContaining([
        'incident.suggested',
        'incident.cases_linked',
        'incident.updated',
        'incident.update_posted',
        'incident.resolved',
      ]),
    );
  }, 180_000); // 20 cases through the whole pipeline, outbox and resolution: give a loaded CI machine room

  it('incident CRUD by hand: open with cases, link, unlink, dismiss; roles enforced', async () => {
    const [a, b] = await t.ingest(
      { text: '@northwindcares app login fails' },
      { text: '@northwindcares cannot log in to the app' },
    );
    const ca = await t.caseOf(a!.externalId);
    const cb = await t.caseOf(b!.externalId);
    const created = await agent.call('POST', '/api/v1/incidents', { title: 'App login', caseIds: [ca] });
    expect(created.status).toBe(201);
    expect(created.body.linkedCases).toHaveLength(1);
    const linked = await agent.call('POST', `/api/v1/incidents/${created.body.id}/cases`, { caseIds: [cb] });
    expect(linked.body.linked).toBe(1);
    expect((await agent.call('GET', `/api/v1/cases?incident=${created.body.id}`)).body.items).toHaveLength(2);
    const unlinked = await agent.call('DELETE', `/api/v1/incidents/${created.body.id}/cases/${cb}`);
    expect(unlinked.body.linkedCases).toHaveLength(1);
    const list = await agent.call('GET', '/api/v1/incidents?status=open');
    expect(
      list.body.items.some(
        (i: { id: string; cases: { total: number } }) => i.id === created.body.id && i.cases.total === 1,
      ),
    ).toBe(true);
    const dismissed = await agent.call('PATCH', `/api/v1/incidents/${created.body.id}`, {
      status: 'dismissed',
    });
    expect(dismissed.body.linkedCases).toHaveLength(0);
    expect((await agent.call('POST', `/api/v1/incidents/${created.body.id}/resolve`, {})).status).toBe(409);
    const viewer = await t.as('viewer');
    expect((await viewer.call('GET', `/api/v1/incidents/${created.body.id}`)).status).toBe(200);
    expect((await viewer.call('POST', '/api/v1/incidents', { title: 'x' })).status).toBe(403);
    expect(
      (await viewer.call('POST', `/api/v1/incidents/${created.body.id}/updates`, { text: 'x' })).status,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents' })).statusCode).toBe(401);
    const bad = await agent.call('POST', '/api/v1/incidents', { title: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/title/);
  });

  it('clusters deterministically by the most shared content word (unit)', () => {
    const brand = new Set(['northwindcares']);
    expect(
      [...complaintTerms('@northwindcares Our internet is DOWN again http://x.co/1 #fail', brand)].sort(),
    ).toEqual(['down', 'internet']);
    const cands = [
      ...Array.from({ length: 5 }, (_, i) => ({
        id: `a${i}`,
        intent: null,
        terms: new Set(['outage', `town${i}`]),
      })),
      ...Array.from({ length: 4 }, (_, i) => ({
        id: `b${i}`,
        intent: null,
        terms: new Set(['billing', 'double']),
      })),
    ];
    const clusters = clusterComplaints(cands, 5);
    expect(clusters).toEqual([
      {
        signature: 'any:outage',
        term: 'outage',
        intent: null,
        caseIds: ['a0', 'a1', 'a2', 'a3', 'a4'],
        related: [],
      },
    ]);
  });
});
