import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { assignConversation } from '../conversations/assign-conversation.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { identities, people } from '../people/people.schema.ts';
import { queueReply } from '../responses/queue-reply.ts';
import { drawings } from './campaigns.schema.ts';
import { openProactiveCase } from './open-proactive-case.ts';

export const DEFAULT_WINNER_TEMPLATE =
  'Congratulations {{name}}! You won {{prize}} in our "{{drawing}}" drawing. Reply to this message so we can arrange your prize.';

/** Fills `{{name}}`, `{{prize}}` and `{{drawing}}` in a template. */
export function fillWinnerTemplate(
  template: string,
  v: { name: string; prize: string; drawing: string },
): string {
  return template.replace(
    /\{\{\s*(name|prize|drawing)\s*\}\}/g,
    (_, k: 'name' | 'prize' | 'drawing') => v[k],
  );
}

/**
 * Tells the winner by private message (a template), on the case of their qualifying post (opened
 * for the purpose when there is none). Sent once per drawing however often it is asked (the
 * outbox idempotency key); fulfilment becomes `notified`. Audited.
 */
export async function notifyWinner(ctx: AppContext, id: string, template: string | undefined, actor: Actor) {
  const [d] = await ctx.db.select().from(drawings).where(eq(drawings.id, id));
  if (!d) throw notFound('Drawing');
  if (d.status !== 'drawn' || !d.winnerPostId || !d.winnerPersonId)
    throw conflict('Draw the winner first', undefined, 'not_drawn');
  const [p] = await ctx.db.select().from(posts).where(eq(posts.id, d.winnerPostId));
  if (!p) throw notFound('Winning post');
  const [person] = await ctx.db
    .select({ name: people.displayName })
    .from(people)
    .where(eq(people.id, d.winnerPersonId));
  const [ident] = await ctx.db
    .select({ handle: identities.handle, followers: identities.followers })
    .from(identities)
    .where(eq(identities.id, p.identityId));
  const caseId =
    d.notifyCaseId ??
    p.caseId ??
    (await (async () => {
      const conversationId = await assignConversation(ctx.db, p);
      return ctx.db.transaction((tx) =>
        openProactiveCase(
          tx,
          p,
          { conversationId, personId: d.winnerPersonId!, followers: ident?.followers ?? null },
          actor,
          {
            isOutreach: false,
            tag: 'drawing',
            event: 'drawing_winner',
            body: `Winner of the drawing "${d.name}" (${d.prize})`,
          },
        ),
      );
    })());
  const text = fillWinnerTemplate(template ?? DEFAULT_WINNER_TEMPLATE, {
    name: person?.name || ident?.handle || 'there',
    prize: d.prize,
    drawing: d.name,
  });
  const sent = await queueReply(
    ctx,
    caseId,
    { mode: 'private', text, idempotencyKey: `drawing-winner:${id}` },
    actor,
  );
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(drawings)
      .set({
        notifyCaseId: caseId,
        notifiedAt: d.notifiedAt ?? new Date(),
        fulfilmentStatus: d.fulfilmentStatus === 'pending' ? 'notified' : d.fulfilmentStatus,
      })
      .where(eq(drawings.id, id));
    if (!sent.duplicate)
      await audit(
        tx,
        actor,
        'drawing.winner_notified',
        { type: 'drawing', id },
        { caseId, outboxId: sent.item.id },
      );
  });
  ctx.live.emitEvent({ type: 'case.updated', caseId });
  return { caseId, outboxId: sent.item.id, duplicate: sent.duplicate, text };
}
