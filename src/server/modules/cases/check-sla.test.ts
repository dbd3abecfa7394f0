import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { cases } from './cases.schema.ts';
import { checkSlas } from './check-sla.ts';

const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

describe.each(drivers)('per-queue SLAs on %s', (driver) => {
  let t: Care;
  let manager: Caller;
  let agent: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    manager = await t.as('manager');
    agent = await t.as('agent');
    const fast = await manager.call('POST', '/api/v1/teams', {
      name: 'Fast lane',
      sla: {
        firstResponseMinutes: 30,
        nextResponseMinutes: 60,
        resolutionMinutes: 240,
        warnBeforeMinutes: 10,
      },
    });
    expect(fast.status).toBe(201);
    const office = await manager.call('POST', '/api/v1/teams', {
      name: 'Office hours',
      sla: {
        firstResponseMinutes: 30,
        nextResponseMinutes: 60,
        resolutionMinutes: 480,
        warnBeforeMinutes: 10,
      },
      calendar: {
        timezone: 'America/New_York',
        hours: {
          1: [['09:00', '17:00']],
          2: [['09:00', '17:00']],
          3: [['09:00', '17:00']],
          4: [['09:00', '17:00']],
          5: [['09:00', '17:00']],
        },
        holidays: ['2026-07-03'],
      },
    });
    expect(office.status).toBe(201);
    for (const [name, keyword, teamId, position] of [
      ['fast', 'slaprobe', fast.body.id, 1],
      ['office', 'officeprobe', office.body.id, 2],
    ] as const) {
      const rule = await manager.call('POST', '/api/v1/routing-rules', {
        name,
        position,
        conditions: { keywords: [keyword] },
        teamId,
      });
      expect(rule.status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it("stores due times from the queue's calendar: a Saturday complaint is due Monday after opening", async () => {
    const [p] = await t.ingest({
      text: '@northwindcares officeprobe my line is dead',
      createdAt: '2026-03-07T12:00:00Z',
    });
    const c = (await agent.call('GET', `/api/v1/cases/${await t.caseOf(p!.externalId)}`)).body;
    expect(c.queue.name).toBe('Office hours');
    expect(c.sla.firstResponseDueAt).toBe('2026-03-09T13:30:00.000Z');
    expect(c.priority.reasons.join(' ')).toMatch(/First response due 2026-03-09 13:30 UTC/);
  });

  it('warns once before the first-response deadline, then marks the breach once', async () => {
    const created = new Date(Date.now() - 60_000);
    const [p] = await t.ingest({
      text: '@northwindcares slaprobe my modem is broken',
      createdAt: created.toISOString(),
    });
    const caseId = await t.caseOf(p!.externalId);
    const [c] = await t.ctx.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c!.firstResponseDueAt!.toISOString()).toBe(minutes(created, 30).toISOString());

    const due = c!.firstResponseDueAt!;
    const probe = async (at: Date) => {
      await checkSlas(t.ctx, at);
      const [row] = await t.ctx.db.select().from(cases).where(eq(cases.id, caseId));
      const timeline = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body.timeline as {
        type: string;
      }[];
      return {
        row: row!,
        warnings: timeline.filter((e) => e.type === 'sla_warning').length,
        breaches: timeline.filter((e) => e.type === 'sla_breached').length,
      };
    };
    expect((await probe(minutes(due, -15))).warnings).toBe(0);
    const warned = await probe(minutes(due, -9));
    expect(warned.warnings).toBe(1);
    expect(warned.row.slaState.first_response?.warnedAt).toBeTruthy();
    expect((await probe(minutes(due, -5))).warnings).toBe(1);
    const breached = await probe(minutes(due, 1));
    expect(breached.breaches).toBe(1);
    expect(breached.row.slaBreachedAt).not.toBeNull();
    expect(breached.row.priorityReasons.join(' ')).toMatch(/Overdue/);
    expect((await probe(minutes(due, 2))).breaches).toBe(1);
  });

  it('restarts the next-response clock on each customer message after the first response', async () => {
    const [p] = await t.ingest({
      text: '@northwindcares slaprobe router blinking red',
      author: { externalId: 'sla-next', handle: 'nexty' },
    });
    const caseId = await t.caseOf(p!.externalId);
    expect(
      (
        await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
          mode: 'public',
          text: 'Sorry! Can you restart it?',
        })
      ).status,
    ).toBe(202);
    await t.deliver();
    const replyAt = new Date();
    const [again] = await t.ingest({
      text: 'did that, still red',
      author: { externalId: 'sla-next', handle: 'nexty' },
      inReplyTo: p!.externalId,
      createdAt: replyAt.toISOString(),
    });
    expect(await t.caseOf(again!.externalId)).toBe(caseId);
    const [c] = await t.ctx.db.select().from(cases).where(eq(cases.id, caseId));
    expect(c!.status).toBe('open');
    expect(c!.firstResponseAt).not.toBeNull();
    expect(c!.nextResponseDueAt!.toISOString()).toBe(minutes(replyAt, 60).toISOString());
    const res = await checkSlas(t.ctx, minutes(c!.nextResponseDueAt!, -5));
    expect(res.warned).toBeGreaterThanOrEqual(1);
    const [after] = await t.ctx.db.select().from(cases).where(eq(cases.id, caseId));
    expect(after!.slaState.next_response?.warnedAt).toBeTruthy();
    expect(after!.slaState.first_response).toBeUndefined();
  });

  it('rejects a calendar with an unknown time zone or bad hours, naming the field', async () => {
    const tz = await manager.call('POST', '/api/v1/teams', {
      name: 'Bad tz',
      calendar: { timezone: 'Mars/Olympus', hours: {}, holidays: [] },
    });
    expect(tz.status).toBe(400);
    expect(tz.body.error.message).toMatch(/calendar\.timezone/);
    const hours = await manager.call('POST', '/api/v1/teams', {
      name: 'Bad hours',
      calendar: { timezone: 'UTC', hours: { 1: [['17:00', '09:00']] } },
    });
    expect(hours.status).toBe(400);
    expect(hours.body.error.message).toMatch(/calendar\.hours/);
  });
});
