import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { queueReply } from '../responses/queue-reply.ts';
import type { ReplyMode } from '../responses/responses.schema.ts';
import { caseEvents, cases, incidents } from './cases.schema.ts';
import { getIncident } from './manage-incidents.ts';
import { changeCaseStatus } from './update-case.ts';

export type IncidentUpdateMode = 'auto' | ReplyMode;
export type IncidentUpdateResult = {
  caseId: string;
  outcome: 'queued' | 'duplicate' | 'skipped';
  mode?: ReplyMode;
  reason?: string;
};

/** How a case is answered when each case decides: e-mail for e-mail, private for DMs, else public. */
async function modeFor(ctx: AppContext, caseId: string, channel: string): Promise<ReplyMode> {
  if (channel === 'email') return 'email';
  const [last] = await ctx.db
    .select({ isPrivate: posts.isPrivate })
    .from(caseEvents)
    .innerJoin(posts, eq(posts.id, caseEvents.postId))
    .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'inbound')))
    .orderBy(desc(caseEvents.createdAt))
    .limit(1);
  return last?.isPrivate ? 'private' : 'public';
}

/**
 * One update reaches every active linked case through the outbox — public or private as each case
 * requires (`auto`), or the mode given. Idempotent per `idempotencyKey`: a retried request queues
 * nothing twice. A case that cannot take the update (PII in a public reply, no e-mail address) is
 * reported as skipped with the reason; the others still get it.
 */
export async function postIncidentUpdate(
  ctx: AppContext,
  incidentId: string,
  input: { text: string; mode: IncidentUpdateMode; idempotencyKey?: string | undefined },
  actor: Actor,
): Promise<{ updateId: string; results: IncidentUpdateResult[] }> {
  const [i] = await ctx.db.select().from(incidents).where(eq(incidents.id, incidentId));
  if (!i) throw notFound('Incident');
  if (i.status === 'dismissed') throw conflict('The incident was dismissed', undefined, 'incident_closed');
  const updateId = input.idempotencyKey ?? randomUUID();
  const linked = await ctx.db
    .select({ id: cases.id, channel: cases.channel, status: cases.status })
    .from(cases)
    .where(
      and(
        eq(cases.incidentId, incidentId),
        isNull(cases.mergedIntoId),
        inArray(cases.status, ['new', 'open', 'pending', 'resolved']),
      ),
    );
  const results: IncidentUpdateResult[] = [];
  for (const c of linked) {
    const mode = input.mode === 'auto' ? await modeFor(ctx, c.id, c.channel) : input.mode;
    try {
      const r = await queueReply(
        ctx,
        c.id,
        { mode, text: input.text, idempotencyKey: `incident:${incidentId}:${updateId}` },
        actor,
      );
      if (!r.duplicate) {
        await ctx.db.insert(caseEvents).values({
          caseId: c.id,
          kind: 'event',
          type: 'incident_update',
          actorUserId: actor.userId,
          body: input.text,
          data: { incidentId, updateId, mode, outboxId: r.item.id },
        });
      }
      results.push({ caseId: c.id, outcome: r.duplicate ? 'duplicate' : 'queued', mode });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ caseId: c.id, outcome: 'skipped', mode, reason: `${err.code}: ${err.message}` });
    }
  }
  await audit(
    ctx.db,
    actor,
    'incident.update_posted',
    { type: 'incident', id: incidentId },
    {
      updateId,
      mode: input.mode,
      queued: results.filter((r) => r.outcome === 'queued').length,
      skipped: results.filter((r) => r.outcome === 'skipped').length,
    },
  );
  await ctx.bus.publish('incident.update_posted', {
    incidentId,
    action: 'update_posted',
    updateId,
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return { updateId, results };
}

/**
 * Resolves the incident and every active linked case together, optionally sending a last update
 * to all of them first.
 */
export async function resolveIncident(
  ctx: AppContext,
  incidentId: string,
  input: {
    text?: string | undefined;
    mode?: IncidentUpdateMode | undefined;
    idempotencyKey?: string | undefined;
  },
  actor: Actor,
) {
  const [i] = await ctx.db.select().from(incidents).where(eq(incidents.id, incidentId));
  if (!i) throw notFound('Incident');
  if (i.status === 'resolved') throw conflict('The incident is already resolved', undefined, 'no_change');
  if (i.status === 'dismissed') throw conflict('The incident was dismissed', undefined, 'incident_closed');
  const update = input.text
    ? await postIncidentUpdate(
        ctx,
        incidentId,
        { text: input.text, mode: input.mode ?? 'auto', idempotencyKey: input.idempotencyKey },
        actor,
      )
    : null;
  const active = await ctx.db
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        eq(cases.incidentId, incidentId),
        isNull(cases.mergedIntoId),
        inArray(cases.status, ['new', 'open', 'pending']),
      ),
    );
  for (const c of active) await changeCaseStatus(ctx, c.id, 'resolved', actor);
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(incidents)
      .set({ status: 'resolved', resolvedAt: new Date(), updatedAt: new Date() })
      .where(eq(incidents.id, incidentId));
    await audit(
      tx,
      actor,
      'incident.resolved',
      { type: 'incident', id: incidentId },
      { casesResolved: active.length },
    );
  });
  ctx.live.emitEvent({ type: 'incident.updated', incidentId });
  await ctx.bus.publish('incident.resolved', {
    incidentId,
    action: 'resolved',
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return { incident: await getIncident(ctx.db, incidentId), resolvedCases: active.length, update };
}
