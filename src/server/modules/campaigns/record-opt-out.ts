import { and, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { audit, systemActor } from '../../platform/audit.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { identities, people } from '../people/people.schema.ts';
import { isOptOut } from './detect-opt-out.ts';

/**
 * Honours an opt-out: when a person's post says "stop" or "leave me alone", the person is marked
 * opted out (`people.opted_out_at`), which keeps them out of the Discover queue, outreach and
 * drawings. Audited; idempotent (the first opt-out time is kept).
 */
export async function recordOptOut(ctx: AppContext, postId: string): Promise<boolean> {
  const [p] = await ctx.db
    .select({
      text: posts.text,
      direction: posts.direction,
      personId: identities.personId,
      createdAt: posts.createdAt,
    })
    .from(posts)
    .innerJoin(identities, eq(identities.id, posts.identityId))
    .where(eq(posts.id, postId));
  if (p?.direction !== 'inbound' || !p.personId || !isOptOut(p.text)) return false;
  const personId = p.personId;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(people)
      .set({ optedOutAt: p.createdAt })
      .where(and(eq(people.id, personId), isNull(people.optedOutAt)))
      .returning({ id: people.id });
    if (!row) return false;
    await audit(
      tx,
      systemActor,
      'person.opted_out',
      { type: 'person', id: personId },
      { postId, text: p.text.slice(0, 280) },
    );
    return true;
  });
}
