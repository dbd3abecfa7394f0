import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/db/platform.schema.ts';
import { type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { alerts } from '../analytics/analytics.schema.ts';
import { cases } from './cases.schema.ts';
import { computePriority } from './priority-policy.ts';
import { recomputePriority } from './recompute-priority.ts';

type Item = {
  id: string;
  preview: string;
  priority: { rank: number; reasons: string[] };
  followers: number | null;
};

describe.each(drivers)('the fair priority policy on %s', (driver) => {
  let t: Care;
  const inbox = async (): Promise<Item[]> =>
    (await t.admin.call('GET', '/api/v1/cases?limit=200')).body.items;

  beforeAll(async () => {
    t = await createCareApp(driver);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a post from an author with a million followers does not overtake an earlier, otherwise equal post', async () => {
    const base = Date.now() - 10 * 60_000;
    const [early] = await t.ingest({
      text: '@northwindcares my bill shows a charge twice (fairness early)',
      author: { externalId: 'fair-small', handle: 'smallvoice', followers: 12 },
      createdAt: new Date(base).toISOString(),
    });
    const [late] = await t.ingest({
      text: '@northwindcares my bill shows a charge twice (fairness late)',
      author: { externalId: 'fair-famous', handle: 'famousvoice', followers: 1_000_000 },
      createdAt: new Date(base + 60_000).toISOString(),
    });
    const items = await inbox();
    const a = items.findIndex((i) => i.preview === early!.text);
    const b = items.findIndex((i) => i.preview === late!.text);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThanOrEqual(0);
    expect(a, 'the earlier post is served first').toBeLessThan(b);
    const famous = items[b]!;
    expect(famous.priority.rank).toBe(items[a]!.priority.rank);
    expect(famous.followers).toBe(1_000_000);
    expect(famous.priority.reasons.join(' ')).toMatch(/does not change the order/);
    // Influence feeds a PR-risk alert instead of the queue.
    const caseId = await t.caseOf(late!.externalId);
    const rows = await t.ctx.db
      .select()
      .from(alerts)
      .where(eq(alerts.dedupeKey, `pr_risk:${caseId}`));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.kind).toBe('pr_risk');
    const smallCase = await t.caseOf(early!.externalId);
    expect(
      await t.ctx.db
        .select()
        .from(alerts)
        .where(eq(alerts.dedupeKey, `pr_risk:${smallCase}`)),
    ).toHaveLength(0);
  });

  it('service recovery flagged by an agent moves a later case ahead, with the reason', async () => {
    const agent = await t.as('agent');
    const base = Date.now() - 5 * 60_000;
    const [first, second] = await t.ingest(
      { text: '@northwindcares my bill is wrong (sr first)', createdAt: new Date(base).toISOString() },
      {
        text: '@northwindcares technician never showed up (sr second)',
        createdAt: new Date(base + 30_000).toISOString(),
      },
    );
    const secondCase = await t.caseOf(second!.externalId);
    const flag = await agent.call('POST', `/api/v1/cases/${secondCase}/service-recovery`, {
      on: true,
      reason: 'missed appointment',
    });
    expect(flag.status).toBe(200);
    expect(flag.body.priority.serviceRecovery).toBe(true);
    const items = await inbox();
    const a = items.findIndex((i) => i.preview === first!.text);
    const b = items.findIndex((i) => i.preview === second!.text);
    expect(b).toBeLessThan(a);
    expect(items[b]!.priority.rank).toBe(0);
    expect(items[b]!.priority.reasons[0]).toMatch(/Service recovery \(flagged by an agent\)/);
    const logged = await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, secondCase));
    expect(logged.map((l) => l.action)).toContain('case.service_recovery');
  });

  it('a triage suggestion of service recovery goes first; turning suggestions off (admin only, audited) re-orders open cases', async () => {
    const [p] = await t.ingest({ text: '@northwindcares you billed me for a month I cancelled (triage sr)' });
    const caseId = await t.caseOf(p!.externalId);
    // What the triage stage stores when the intelligence module suggests service recovery.
    await t.ctx.db
      .update(cases)
      .set({ serviceRecovery: true, serviceRecoverySource: 'triage' })
      .where(eq(cases.id, caseId));
    await recomputePriority(t.ctx.db, caseId);
    const rankOf = async () => (await inbox()).find((i) => i.id === caseId)!;
    expect((await rankOf()).priority.rank).toBe(0);
    expect((await rankOf()).priority.reasons[0]).toMatch(/suggested by triage/);

    const manager = await t.as('manager');
    const denied = await manager.call('PUT', '/api/v1/settings/priority-policy', {
      acceptTriageSuggestions: false,
    });
    expect(denied.status).toBe(403);
    const anonymous = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/priority-policy',
      payload: {},
    });
    expect(anonymous.statusCode).toBe(401);
    const ok = await t.admin.call('PUT', '/api/v1/settings/priority-policy', {
      acceptTriageSuggestions: false,
    });
    expect(ok.status).toBe(200);
    expect((await rankOf()).priority.rank).toBe(1);
    const entries = await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, 'priority_policy'));
    expect(entries.some((e) => e.action === 'setting.updated' && e.actorUserId === t.admin.userId)).toBe(
      true,
    );

    await t.admin.call('PUT', '/api/v1/settings/priority-policy', {});
    expect((await rankOf()).priority.rank).toBe(0);
  });

  it('ranks by SLA deadline, never by followers (unit)', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    const c = (over: Partial<Parameters<typeof computePriority>[0]>) =>
      computePriority(
        {
          serviceRecovery: false,
          serviceRecoverySource: null,
          status: 'new',
          firstResponseAt: null,
          firstResponseDueAt: new Date(now.getTime() + 3600_000),
          nextResponseDueAt: null,
          resolutionDueAt: null,
          createdAt: now,
          maxFollowers: null,
          ...over,
        },
        { serviceRecoveryFirst: true, acceptTriageSuggestions: true, prRiskFollowerThreshold: 100_000 },
      );
    const plain = c({});
    const famous = c({ maxFollowers: 5_000_000 });
    expect(famous.priorityRank).toBe(plain.priorityRank);
    expect(famous.dueAt).toEqual(plain.dueAt);
    expect(c({ serviceRecovery: true, serviceRecoverySource: 'triage' }).priorityRank).toBe(0);
  });
});
