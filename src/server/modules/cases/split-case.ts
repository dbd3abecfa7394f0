import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { identities } from '../people/people.schema.ts';
import { dueTimes } from './case-sla.ts';
import { caseEvents, cases } from './cases.schema.ts';
import { recomputePriority } from './recompute-priority.ts';
import { refreshCaseFacts } from './refresh-case-facts.ts';

/**
 * Splits inbound messages that are a different matter into a new case (same queue, the author's
 * person), leaving the rest where they were. At least one inbound message must stay.
 */
export async function splitCase(
  ctx: AppContext,
  caseId: string,
  input: { postIds: string[]; subject?: string | undefined },
  actor: Actor,
) {
  const postIds = [...new Set(input.postIds)];
  if (!postIds.length)
    throw badRequest(
      'Give the inbound messages (postIds) that belong in a new case',
      undefined,
      'nothing_to_split',
    );
  const created = await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
    if (!c) throw notFound('Case');
    if (c.mergedIntoId)
      throw conflict('This case was merged into another; split that one', undefined, 'already_merged');
    const inbound = await tx
      .select({ eventId: caseEvents.id, post: posts, personId: identities.personId })
      .from(caseEvents)
      .innerJoin(posts, eq(posts.id, caseEvents.postId))
      .innerJoin(identities, eq(identities.id, posts.identityId))
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.kind, 'inbound')));
    const moving = inbound.filter((x) => postIds.includes(x.post.id));
    const unknown = postIds.filter((id) => !moving.some((m) => m.post.id === id));
    if (unknown.length)
      throw badRequest(
        `Not inbound messages of this case: ${unknown.join(', ')}`,
        { postIds: unknown },
        'unknown_post',
      );
    if (moving.length === inbound.length) {
      throw badRequest(
        'At least one inbound message must stay on the original case',
        undefined,
        'split_everything',
      );
    }
    moving.sort((a, b) => a.post.createdAt.getTime() - b.post.createdAt.getTime());
    const first = moving[0]!;
    const last = moving[moving.length - 1]!;
    const times = await dueTimes(tx, c.teamId, first.post.createdAt);
    const [n] = await tx
      .insert(cases)
      .values({
        ...times,
        status: 'open',
        channel: first.post.channel,
        conversationId: first.post.conversationId,
        personId: first.personId ?? c.personId,
        teamId: c.teamId,
        subject: (input.subject ?? first.post.title ?? first.post.text).slice(0, 140),
        preview: last.post.text.slice(0, 500),
        intent: first.post.intent,
        sentiment: first.post.sentiment,
        lang: first.post.lang,
        topicIds: [...new Set(moving.flatMap((m) => m.post.topicIds))],
        maxFollowers: c.maxFollowers,
        firstInboundAt: first.post.createdAt,
        lastInboundAt: last.post.createdAt,
        createdAt: first.post.createdAt,
      })
      .returning();
    const newId = n!.id;
    await tx
      .update(caseEvents)
      .set({ caseId: newId })
      .where(
        inArray(
          caseEvents.id,
          moving.map((m) => m.eventId),
        ),
      );
    await tx
      .update(posts)
      .set({ caseId: newId })
      .where(
        inArray(
          posts.id,
          moving.map((m) => m.post.id),
        ),
      );
    await tx
      .update(cases)
      .set({ version: sql`${cases.version} + 1`, updatedAt: new Date() })
      .where(eq(cases.id, caseId));
    await refreshCaseFacts(tx, caseId);
    await refreshCaseFacts(tx, newId);
    await tx.insert(caseEvents).values([
      {
        caseId,
        kind: 'event',
        type: 'split',
        actorUserId: actor.userId,
        body: `${moving.length} message(s) split into case #${n!.number}`,
        data: { to: newId, postIds },
      },
      {
        caseId: newId,
        kind: 'event',
        type: 'split',
        actorUserId: actor.userId,
        body: `Split from case #${c.number}`,
        data: { from: caseId, postIds },
      },
    ]);
    await audit(tx, actor, 'case.split', { type: 'case', id: caseId }, { to: newId, postIds });
    await recomputePriority(tx, caseId);
    await recomputePriority(tx, newId);
    const [after] = await tx.select().from(cases).where(eq(cases.id, newId));
    return after!;
  });
  ctx.live.emitEvent({ type: 'case.updated', caseId });
  ctx.live.emitEvent({ type: 'case.created', caseId: created.id });
  await ctx.bus.publish('case.split', {
    caseId,
    action: 'split',
    to: created.id,
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return created;
}
