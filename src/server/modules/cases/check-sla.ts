import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { audit, systemActor } from '../../platform/audit.ts';
import { teams } from '../users/users.schema.ts';
import { caseEvents, cases, type SlaClockState, type SlaState } from './cases.schema.ts';
import { recomputePriority } from './recompute-priority.ts';

type Clock = keyof SlaState;
type CaseRow = typeof cases.$inferSelect;

const CLOCKS: { clock: Clock; label: string; due: (c: CaseRow) => Date | null; active: SQL }[] = [
  {
    clock: 'first_response',
    label: 'First response',
    due: (c) => (c.firstResponseAt ? null : c.firstResponseDueAt),
    active: sql`${cases.firstResponseAt} IS NULL AND ${cases.status} IN ('new', 'open')`,
  },
  {
    clock: 'next_response',
    label: 'Next response',
    due: (c) =>
      c.firstResponseAt && (c.status === 'new' || c.status === 'open') ? c.nextResponseDueAt : null,
    active: sql`${cases.firstResponseAt} IS NOT NULL AND ${cases.status} IN ('new', 'open')`,
  },
  {
    clock: 'resolution',
    label: 'Resolution',
    due: (c) => c.resolutionDueAt,
    active: sql`${cases.status} IN ('new', 'open', 'pending')`,
  },
];

const dueColumn = {
  first_response: cases.firstResponseDueAt,
  next_response: cases.nextResponseDueAt,
  resolution: cases.resolutionDueAt,
};
const warnBefore = sql`make_interval(mins => coalesce((${teams.sla}->>'warnBeforeMinutes')::int, 15))`;

/** SQL: this clock needs a warning or a breach mark at `now` that it has not had for its current due time. */
function pending(clock: Clock, active: SQL, at: Date): SQL {
  const now = sql`${at.toISOString()}::timestamptz`;
  const due = dueColumn[clock];
  const st = sql`${cases.slaState}->${clock}`;
  const sameDue = sql`(${st}->>'due') = (floor(extract(epoch from ${due}) * 1000))::bigint::text`;
  return sql`(${active} AND ${due} IS NOT NULL AND (
    (${due} - ${warnBefore} <= ${now} AND NOT (${sameDue} AND (${st}->>'warnedAt') IS NOT NULL))
    OR (${due} <= ${now} AND NOT (${sameDue} AND (${st}->>'breachedAt') IS NOT NULL))))`;
}

/**
 * The SLA scheduler job: for every active case, warns once when a clock (first response, next
 * response, resolution) comes within the queue's `warnBeforeMinutes` of its due time, and marks
 * the breach once it passes. Each warning/breach is a timeline event, a live event and a bus
 * event (`case.sla_warning`, `case.sla_breached`, which webhooks forward).
 */
export async function checkSlas(
  ctx: AppContext,
  now = new Date(),
  limit = 500,
): Promise<{ warned: number; breached: number }> {
  const rows = await ctx.db
    .select({ c: cases, warnMinutes: sql<number | null>`(${teams.sla}->>'warnBeforeMinutes')::int` })
    .from(cases)
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(
      and(
        isNull(cases.mergedIntoId),
        inArray(cases.status, ['new', 'open', 'pending']),
        sql`(${sql.join(
          CLOCKS.map((k) => pending(k.clock, k.active, now)),
          sql` OR `,
        )})`,
      ),
    )
    .limit(limit);
  let warned = 0;
  let breached = 0;
  for (const { c, warnMinutes } of rows) {
    const warnMs = (warnMinutes ?? 15) * 60_000;
    const state: SlaState = { ...c.slaState };
    const events: { type: 'sla_warning' | 'sla_breached'; clock: Clock; body: string; due: Date }[] = [];
    for (const k of CLOCKS) {
      const due = k.due(c);
      if (!due) continue;
      const prev: SlaClockState | undefined =
        state[k.clock]?.due === due.getTime() ? state[k.clock] : undefined;
      const next: SlaClockState = { ...(prev ?? {}), due: due.getTime() };
      if (due.getTime() <= now.getTime() && !next.breachedAt) {
        next.breachedAt = now.toISOString();
        next.warnedAt ??= now.toISOString();
        events.push({
          type: 'sla_breached',
          clock: k.clock,
          body: `${k.label} SLA breached (was due ${due.toISOString()})`,
          due,
        });
      } else if (due.getTime() - warnMs <= now.getTime() && !next.warnedAt) {
        next.warnedAt = now.toISOString();
        const mins = Math.max(0, Math.round((due.getTime() - now.getTime()) / 60_000));
        events.push({
          type: 'sla_warning',
          clock: k.clock,
          body: `${k.label} due in ${mins} min (${due.toISOString()})`,
          due,
        });
      }
      state[k.clock] = next;
    }
    if (!events.length) continue;
    const anyBreach = events.some((e) => e.type === 'sla_breached');
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(cases)
        .set({
          slaState: state,
          slaWarnedAt: c.slaWarnedAt ?? now,
          slaBreachedAt: c.slaBreachedAt ?? (anyBreach ? now : null),
        })
        .where(eq(cases.id, c.id));
      await tx.insert(caseEvents).values(
        events.map((e) => ({
          caseId: c.id,
          kind: 'event' as const,
          type: e.type,
          body: e.body,
          data: { clock: e.clock, dueAt: e.due.toISOString() },
        })),
      );
      await recomputePriority(tx, c.id);
      for (const e of events.filter((x) => x.type === 'sla_breached')) {
        await audit(
          tx,
          systemActor,
          'case.sla_breached',
          { type: 'case', id: c.id },
          { clock: e.clock, dueAt: e.due.toISOString() },
        );
      }
    });
    for (const e of events) {
      if (e.type === 'sla_breached') breached++;
      else warned++;
      ctx.live.emitEvent({
        type: `case.${e.type}`,
        caseId: c.id,
        clock: e.clock,
        dueAt: e.due.toISOString(),
      });
      await ctx.bus.publish(`case.${e.type}`, {
        caseId: c.id,
        action: e.type,
        clock: e.clock,
        dueAt: e.due.toISOString(),
        at: now.toISOString(),
      });
    }
  }
  return { warned, breached };
}
