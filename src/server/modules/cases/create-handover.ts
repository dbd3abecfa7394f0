import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { badRequest } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { identities } from '../people/people.schema.ts';
import { chooseAssignee, chooseTeam } from '../routing/route-case.ts';
import { users } from '../users/users.schema.ts';
import { dueTimes } from './case-sla.ts';
import { caseEvents, cases } from './cases.schema.ts';
import { openOrJoinCase } from './open-or-join-case.ts';
import { computePriority, getPriorityPolicy } from './priority-policy.ts';
import { recomputePriority } from './recompute-priority.ts';

export type HandoverInput = {
  url?: string | undefined;
  text?: string | undefined;
  /** Why it matters / what the contributor knows. */
  note?: string | undefined;
  /** Agents creating an internal task can address it to a team and/or an owner directly. */
  teamId?: string | undefined;
  assigneeId?: string | undefined;
};

/**
 * Anyone in the organisation hands something to the care team: a pasted post URL or text (or a
 * forwarded e-mail) becomes a case with `handed_over_by`, so they can follow where it stands. A
 * URL of a post Earshot already stored joins that post's case (or opens one from it); anything
 * else becomes a new case on the `handover` channel, routed by the same rules as everything else.
 */
export async function createHandover(
  ctx: AppContext,
  input: HandoverInput,
  actor: Actor & { userId: string },
) {
  const text = input.text?.trim() ?? '';
  const url = input.url?.trim() ?? '';
  if (!text && !url)
    throw badRequest('Give the URL of the post or paste its text', undefined, 'empty_handover');
  const body = [url, text, input.note?.trim() ? `Note: ${input.note.trim()}` : ''].filter(Boolean).join('\n');
  const [stored] = url ? await ctx.db.select().from(posts).where(eq(posts.url, url)).limit(1) : [];

  let caseId: string;
  let created = false;
  if (stored?.caseId) {
    caseId = stored.caseId;
  } else if (stored?.conversationId && stored.direction === 'inbound') {
    const [author] = await ctx.db
      .select({ personId: identities.personId, followers: identities.followers })
      .from(identities)
      .where(eq(identities.id, stored.identityId));
    const r = await openOrJoinCase(ctx.db, {
      postId: stored.id,
      channel: stored.channel,
      conversationId: stored.conversationId,
      personId: author?.personId ?? null,
      text: stored.text,
      title: stored.title,
      createdAt: stored.createdAt,
      followers: author?.followers ?? null,
      intent: stored.intent,
      sentiment: stored.sentiment,
      lang: stored.lang,
      topicIds: stored.topicIds,
      serviceRecovery: stored.serviceRecovery,
    });
    await ctx.db.update(posts).set({ caseId: r.caseId }).where(eq(posts.id, stored.id));
    caseId = r.caseId;
    created = r.created;
  } else {
    const now = new Date();
    const times = await dueTimes(ctx.db, null, now);
    const priority = computePriority(
      {
        ...times,
        serviceRecovery: false,
        serviceRecoverySource: null,
        status: 'new',
        firstResponseAt: null,
        createdAt: now,
        maxFollowers: null,
      },
      await getPriorityPolicy(ctx.db),
    );
    const [c] = await ctx.db
      .insert(cases)
      .values({
        ...times,
        ...priority,
        status: 'new',
        channel: 'handover',
        subject: (text || url).split('\n')[0]!.slice(0, 140),
        preview: (text || url).slice(0, 500),
        firstInboundAt: now,
        lastInboundAt: now,
        createdAt: now,
      })
      .returning({ id: cases.id });
    caseId = c!.id;
    created = true;
  }

  // Route a new case: the contributor's choice, else the rules (keywords etc. see the text).
  let teamId = input.teamId ?? null;
  let assigneeId = input.assigneeId ?? null;
  if (created) {
    if (!teamId) {
      const chosen = await chooseTeam(ctx.db, {
        channel: stored?.channel ?? 'handover',
        topicIds: stored?.topicIds ?? [],
        intent: stored?.intent ?? null,
        sentiment: stored?.sentiment ?? null,
        lang: stored?.lang ?? null,
        text: stored?.text ?? text,
        serviceRecovery: false,
        account: null,
      });
      teamId = chosen.teamId;
      if (!assigneeId && teamId) assigneeId = await chooseAssignee(ctx.db, teamId, chosen.requiredSkills);
    } else if (!assigneeId) assigneeId = await chooseAssignee(ctx.db, teamId);
  }
  if (assigneeId) {
    const [u] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, assigneeId));
    if (!u) throw badRequest(`No user ${assigneeId}`, undefined, 'unknown_user');
  }

  await ctx.db.transaction(async (tx) => {
    const [c] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
    const set: Partial<typeof cases.$inferInsert> = {
      handedOverBy: c!.handedOverBy ?? actor.userId,
      updatedAt: new Date(),
    };
    if (created && teamId) {
      set.teamId = teamId;
      Object.assign(set, await dueTimes(tx, teamId, c!.firstInboundAt ?? c!.createdAt));
    }
    if (assigneeId) {
      set.assigneeId = assigneeId;
      if (c!.status === 'new') set.status = 'open';
    }
    await tx.update(cases).set(set).where(eq(cases.id, caseId));
    await tx.insert(caseEvents).values({
      caseId,
      kind: 'event',
      type: 'handed_over',
      actorUserId: actor.userId,
      body: `Handed over by ${actor.label}${body ? `:\n${body}` : ''}`,
      data: { url: url || null, text: text || null, note: input.note ?? null, teamId, assigneeId },
    });
    await audit(
      tx,
      actor,
      'case.handed_over',
      { type: 'case', id: caseId },
      { url: url || null, created, teamId, assigneeId },
    );
  });
  await recomputePriority(ctx.db, caseId);
  ctx.live.emitEvent({ type: created ? 'case.created' : 'case.updated', caseId });
  await ctx.bus.publish(created ? 'case.created' : 'case.handed_over', {
    caseId,
    action: created ? 'created' : 'handed_over',
    source: 'handover',
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return { caseId, created };
}
