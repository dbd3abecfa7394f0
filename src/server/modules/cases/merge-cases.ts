import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { outbox } from '../responses/responses.schema.ts';
import { dueTimes } from './case-sla.ts';
import { caseEvents, cases } from './cases.schema.ts';
import { recomputePriority } from './recompute-priority.ts';
import { refreshCaseFacts } from './refresh-case-facts.ts';

const earliest = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a < b ? a : b);

/**
 * Merges duplicate cases into one: their messages, replies and notes move to the target's
 * timeline; each source is closed with `merged_into_id` (and a pointer event), so the customer's
 * whole story sits in one place. The earliest deadline and any service-recovery flag carry over.
 */
export async function mergeCases(ctx: AppContext, targetId: string, sourceIds: string[], actor: Actor) {
  const ids = [...new Set(sourceIds)].filter((id) => id !== targetId);
  if (!ids.length)
    throw badRequest('Give at least one other case to merge into this one', undefined, 'nothing_to_merge');
  const merged = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(cases)
      .where(inArray(cases.id, [targetId, ...ids]))
      .orderBy(asc(cases.id))
      .for('update');
    const target = rows.find((r) => r.id === targetId);
    if (!target) throw notFound('Case');
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw badRequest(`No case ${missing.join(', ')}`, { missing }, 'unknown_case');
    for (const r of rows) {
      if (r.mergedIntoId)
        throw conflict(
          `Case #${r.number} was already merged into another case`,
          { caseId: r.id },
          'already_merged',
        );
    }
    const sources = rows.filter((r) => r.id !== targetId);
    for (const s of sources) {
      await tx.update(caseEvents).set({ caseId: targetId }).where(eq(caseEvents.caseId, s.id));
      await tx.update(posts).set({ caseId: targetId }).where(eq(posts.caseId, s.id));
      await tx.update(outbox).set({ caseId: targetId }).where(eq(outbox.caseId, s.id));
      await tx
        .update(cases)
        .set({
          mergedIntoId: targetId,
          status: 'closed',
          closedAt: new Date(),
          version: sql`${cases.version} + 1`,
          updatedAt: new Date(),
        })
        .where(eq(cases.id, s.id));
      await tx.insert(caseEvents).values({
        caseId: s.id,
        kind: 'event',
        type: 'merged',
        actorUserId: actor.userId,
        body: `Merged into case #${target.number}`,
        data: { into: targetId },
      });
      await audit(tx, actor, 'case.merged', { type: 'case', id: s.id }, { into: targetId });
    }
    const all = [target, ...sources];
    const firstInbound = all.reduce<Date | null>((acc, r) => earliest(acc, r.firstInboundAt), null);
    const reopen =
      sources.some((s) => s.status === 'new' || s.status === 'open') &&
      (target.status === 'pending' || target.status === 'resolved');
    const times =
      firstInbound && !target.firstInboundAt ? await dueTimes(tx, target.teamId, firstInbound) : null;
    await tx
      .update(cases)
      .set({
        status: reopen ? 'open' : target.status,
        serviceRecovery: all.some((r) => r.serviceRecovery),
        serviceRecoverySource:
          target.serviceRecoverySource ??
          sources.find((s) => s.serviceRecovery)?.serviceRecoverySource ??
          null,
        maxFollowers: Math.max(...all.map((r) => r.maxFollowers ?? 0)) || null,
        tags: [...new Set(all.flatMap((r) => r.tags))],
        topicIds: [...new Set(all.flatMap((r) => r.topicIds))],
        personId: target.personId ?? sources.find((s) => s.personId)?.personId ?? null,
        incidentId: target.incidentId ?? sources.find((s) => s.incidentId)?.incidentId ?? null,
        firstResponseAt: all.reduce<Date | null>((acc, r) => earliest(acc, r.firstResponseAt), null),
        firstResponseDueAt:
          times?.firstResponseDueAt ??
          all.reduce<Date | null>((acc, r) => earliest(acc, r.firstResponseDueAt), null),
        nextResponseDueAt: all.reduce<Date | null>((acc, r) => earliest(acc, r.nextResponseDueAt), null),
        resolutionDueAt: all.reduce<Date | null>((acc, r) => earliest(acc, r.resolutionDueAt), null),
        resolvedAt: reopen ? null : target.resolvedAt,
        createdAt: new Date(Math.min(...all.map((r) => r.createdAt.getTime()))),
        version: sql`${cases.version} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(cases.id, targetId));
    await refreshCaseFacts(tx, targetId);
    const numbers = sources.map((s) => `#${s.number}`).join(', ');
    await tx.insert(caseEvents).values({
      caseId: targetId,
      kind: 'event',
      type: 'merged',
      actorUserId: actor.userId,
      body: `Merged ${numbers} into this case`,
      data: { from: sources.map((s) => s.id) },
    });
    await audit(
      tx,
      actor,
      'case.merged_into',
      { type: 'case', id: targetId },
      { from: sources.map((s) => s.id) },
    );
    await recomputePriority(tx, targetId);
    const [after] = await tx
      .select()
      .from(cases)
      .where(and(eq(cases.id, targetId)));
    return after!;
  });
  for (const id of [targetId, ...ids]) ctx.live.emitEvent({ type: 'case.updated', caseId: id });
  await ctx.bus.publish('case.merged', {
    caseId: targetId,
    action: 'merged',
    from: ids,
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return merged;
}
