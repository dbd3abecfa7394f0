import { eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { cases } from '../cases/cases.schema.ts';
import { assignConversation } from '../conversations/assign-conversation.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { identities } from '../people/people.schema.ts';
import { resolvePerson } from '../people/resolve-person.ts';
import { outreachContacts } from './campaigns.schema.ts';
import { whyNotContactable } from './contact-guardrails.ts';
import { openProactiveCase } from './open-proactive-case.ts';
import { getOutreachSettings } from './outreach-settings.ts';

/**
 * Turns a Discover post into an outreach case (`is_outreach`), assigned to the agent who reaches
 * out, who then replies with the normal reply endpoint. Guardrails, checked under a per-person
 * lock so two agents cannot both contact someone at their limit: the do-not-contact list,
 * opt-outs, and the per-person limit of unsolicited contacts per period. The contact is counted
 * (`outreach_contacts`), audited, and kept apart in the metrics.
 */
export async function startOutreach(ctx: AppContext, postId: string, actor: Actor, note?: string) {
  const [p] = await ctx.db.select().from(posts).where(eq(posts.id, postId));
  if (!p) throw notFound('Post');
  if (p.direction !== 'inbound')
    throw conflict('This is a brand post; reach out to customers only', undefined, 'not_a_customer_post');
  if (!p.processedAt)
    throw conflict(
      'This post is still being processed; try again in a moment',
      undefined,
      'not_processed_yet',
    );
  if (p.caseId) throw conflict('This post is already on a case', { caseId: p.caseId }, 'already_in_case');
  const personId = await resolvePerson(ctx.db, p.identityId);
  const conversationId = await assignConversation(ctx.db, p);
  const settings = await getOutreachSettings(ctx.db);
  const [ident] = await ctx.db
    .select({ followers: identities.followers })
    .from(identities)
    .where(eq(identities.id, p.identityId));
  const caseId = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`outreach:${personId}`}))`);
    const blocked = await whyNotContactable(tx, p.identityId, p.channel, settings);
    if (blocked) throw conflict(blocked.message, { personId }, blocked.reason);
    const [open] = await tx
      .select({ id: cases.id })
      .from(cases)
      .where(
        sql`(${cases.personId} = ${personId} AND ${inArray(cases.status, ['new', 'open', 'pending'])}) OR (${cases.conversationId} = ${conversationId} AND ${notInArray(cases.status, ['closed'])})`,
      )
      .limit(1);
    if (open)
      throw conflict(
        'This person already has an open case; answer there',
        { caseId: open.id },
        'already_in_case',
      );
    const id = await openProactiveCase(
      tx,
      p,
      { conversationId, personId, followers: ident?.followers ?? null },
      actor,
      {
        isOutreach: true,
        tag: 'outreach',
        event: 'outreach_started',
        body: note ? `Outreach started: ${note}` : 'Outreach started from the Discover queue',
      },
    );
    await tx
      .insert(outreachContacts)
      .values({ personId, identityId: p.identityId, postId: p.id, caseId: id, createdBy: actor.userId });
    await audit(
      tx,
      actor,
      'case.outreach_started',
      { type: 'case', id },
      { postId, personId, note: note ?? null },
    );
    return id;
  });
  ctx.live.emitEvent({ type: 'case.created', caseId });
  await ctx.bus.publish('case.outreach_started', { caseId, at: new Date().toISOString() });
  return { caseId, personId };
}
