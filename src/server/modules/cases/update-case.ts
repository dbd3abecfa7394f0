import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import { teams, users } from '../users/users.schema.ts';
import { dueTimes } from './case-sla.ts';
import { type CaseEventKind, type CaseStatus, caseEvents, cases } from './cases.schema.ts';
import { recomputePriority } from './recompute-priority.ts';

type CaseRow = typeof cases.$inferSelect;

/**
 * Applies a change to a case in one transaction: the update, a timeline event, the audit entry
 * and the recomputed priority; then tells live consoles. Every case command goes through here.
 */
export async function changeCase(
  ctx: AppContext,
  caseId: string,
  actor: Actor,
  action: string,
  fn: (
    c: CaseRow,
    tx: Db,
  ) => Promise<{
    set: Partial<typeof cases.$inferInsert>;
    body: string;
    data?: Record<string, unknown>;
    kind?: CaseEventKind;
  }>,
  expectedVersion?: number,
) {
  const result = await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
    if (!c) throw notFound('Case');
    if (expectedVersion !== undefined && expectedVersion !== c.version) {
      throw conflict(
        'The case changed since you opened it; review it first',
        { currentVersion: c.version },
        'stale_case',
      );
    }
    const { set, body, data = {}, kind = 'event' } = await fn(c, tx);
    await tx
      .update(cases)
      .set({ ...set, version: sql`${cases.version} + 1`, updatedAt: new Date() })
      .where(eq(cases.id, caseId));
    await tx.insert(caseEvents).values({ caseId, kind, type: action, actorUserId: actor.userId, body, data });
    await audit(tx, actor, `case.${action}`, { type: 'case', id: caseId }, data);
    await recomputePriority(tx, caseId);
    return tx.select().from(cases).where(eq(cases.id, caseId));
  });
  ctx.live.emitEvent({ type: 'case.updated', caseId });
  await ctx.bus.publish(`case.${action}`, {
    caseId,
    action,
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return result[0]!;
}

const transitions: Record<CaseStatus, CaseStatus[]> = {
  new: ['open', 'pending', 'resolved', 'closed'],
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

/** Lifecycle: new → open → pending ↔ open → resolved → closed (reopen allowed). */
export function changeCaseStatus(
  ctx: AppContext,
  caseId: string,
  status: CaseStatus,
  actor: Actor,
  version?: number,
) {
  return changeCase(
    ctx,
    caseId,
    actor,
    'status_changed',
    async (c) => {
      if (c.status === status) throw conflict(`The case is already ${status}`, undefined, 'no_change');
      if (!transitions[c.status].includes(status)) {
        throw badRequest(
          `A ${c.status} case cannot become ${status}`,
          { allowed: transitions[c.status] },
          'invalid_transition',
        );
      }
      const now = new Date();
      return {
        set: {
          status,
          resolvedAt: status === 'resolved' ? now : status === 'open' ? null : c.resolvedAt,
          closedAt: status === 'closed' ? now : null,
        },
        body: `Status ${c.status} → ${status}`,
        data: { from: c.status, to: status },
      };
    },
    version,
  );
}

/** Assigns the case to a user and/or a team (queue); `null` unassigns. */
export function assignCase(
  ctx: AppContext,
  caseId: string,
  to: { userId?: string | null | undefined; teamId?: string | null | undefined },
  actor: Actor,
) {
  return changeCase(ctx, caseId, actor, 'assigned', async (c, tx) => {
    const set: Partial<typeof cases.$inferInsert> = {};
    const parts: string[] = [];
    if (to.teamId !== undefined) {
      if (to.teamId) {
        const [t] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, to.teamId));
        if (!t) throw badRequest(`No team ${to.teamId}`, undefined, 'unknown_team');
        parts.push(`queue ${t.name}`);
      } else parts.push('no queue');
      set.teamId = to.teamId;
      // The new queue's SLA targets and calendar apply from the customer's first message.
      if (to.teamId !== c.teamId && c.firstInboundAt) {
        const times = await dueTimes(tx, to.teamId, c.firstInboundAt);
        set.firstResponseDueAt = times.firstResponseDueAt;
        set.resolutionDueAt = times.resolutionDueAt;
        if (c.nextResponseDueAt && c.lastInboundAt) {
          set.nextResponseDueAt = (await dueTimes(tx, to.teamId, c.lastInboundAt)).nextResponseDueAt;
        }
      }
    }
    if (to.userId !== undefined) {
      if (to.userId) {
        const [u] = await tx
          .select({ name: users.name, email: users.email, role: users.role, disabledAt: users.disabledAt })
          .from(users)
          .where(eq(users.id, to.userId));
        if (!u || u.disabledAt) throw badRequest(`No active user ${to.userId}`, undefined, 'unknown_user');
        // Anyone in the organisation can own a case: contributors see it under "assigned to me".
        parts.push(
          `${u.role === 'contributor' || u.role === 'viewer' ? 'owner' : 'agent'} ${u.name || u.email}`,
        );
      } else parts.push('nobody');
      set.assigneeId = to.userId;
      if (to.userId && c.status === 'new') set.status = 'open';
    }
    if (!parts.length)
      throw badRequest('Say whom to assign to: userId and/or teamId', undefined, 'nothing_to_assign');
    return {
      set,
      body: `Assigned to ${parts.join(', ')}`,
      data: { from: { userId: c.assigneeId, teamId: c.teamId }, to },
    };
  });
}

export function addNote(ctx: AppContext, caseId: string, text: string, actor: Actor) {
  if (!text.trim()) throw badRequest('The note is empty', undefined, 'empty_note');
  return changeCase(ctx, caseId, actor, 'note_added', async () => ({ set: {}, body: text, kind: 'note' }));
}

export function setTags(ctx: AppContext, caseId: string, tags: string[], actor: Actor) {
  return changeCase(ctx, caseId, actor, 'tagged', async (c) => ({
    set: { tags: [...new Set(tags.map((t) => t.trim()).filter(Boolean))] },
    body: `Tags: ${tags.join(', ') || '(none)'}`,
    data: { from: c.tags, to: tags },
  }));
}

/** An agent flags (or clears) service recovery: the company made an error, so the case goes first. */
export function flagServiceRecovery(
  ctx: AppContext,
  caseId: string,
  on: boolean,
  reason: string,
  actor: Actor,
) {
  return changeCase(ctx, caseId, actor, 'service_recovery', async () => ({
    set: { serviceRecovery: on, serviceRecoverySource: on ? 'agent' : null },
    body: on ? `Flagged as service recovery: ${reason}` : `Service recovery cleared: ${reason}`,
    data: { on, reason },
  }));
}

/**
 * The owner (often a contributor elsewhere in the organisation) hands the case back to the care
 * queue with a note: unassigned, status open, visible to the team again.
 */
export function handBackCase(ctx: AppContext, caseId: string, note: string, actor: Actor) {
  return changeCase(ctx, caseId, actor, 'handed_back', async (c) => {
    if (!actor.userId || c.assigneeId !== actor.userId)
      throw forbidden('Only the current owner can hand the case back');
    return {
      set: { assigneeId: null, status: c.status === 'resolved' || c.status === 'closed' ? c.status : 'open' },
      body: `Handed back: ${note}`,
      data: { from: actor.userId, note },
    };
  });
}

/** A phone call-back task on the case (an agent calls the customer); the outcome is recorded later. */
export function requestCallback(
  ctx: AppContext,
  caseId: string,
  input: { phone: string; note: string },
  actor: Actor,
) {
  return changeCase(ctx, caseId, actor, 'callback_requested', async () => ({
    set: {},
    body: `Call back ${input.phone}${input.note ? `: ${input.note}` : ''}`,
    data: { phone: input.phone, note: input.note, taskId: randomUUID(), state: 'open' },
  }));
}

export function recordCallbackOutcome(
  ctx: AppContext,
  caseId: string,
  taskId: string,
  input: { outcome: 'reached' | 'no_answer' | 'voicemail' | 'wrong_number'; note: string },
  actor: Actor,
) {
  return changeCase(ctx, caseId, actor, 'callback_done', async (_c, tx) => {
    const [task] = await tx
      .select({ id: caseEvents.id })
      .from(caseEvents)
      .where(
        and(
          eq(caseEvents.caseId, caseId),
          eq(caseEvents.type, 'callback_requested'),
          sql`${caseEvents.data}->>'taskId' = ${taskId}`,
        ),
      );
    if (!task) throw notFound('Call-back task');
    await tx
      .update(caseEvents)
      .set({
        data: sql`${caseEvents.data} || ${JSON.stringify({ state: 'done', outcome: input.outcome })}::jsonb`,
      })
      .where(eq(caseEvents.id, task.id));
    return {
      set: {},
      body: `Call-back ${input.outcome.replace('_', ' ')}${input.note ? `: ${input.note}` : ''}`,
      data: { taskId, outcome: input.outcome, note: input.note },
    };
  });
}
