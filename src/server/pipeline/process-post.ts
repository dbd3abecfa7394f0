import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.ts';
import { posts } from '../modules/conversations/conversations.schema.ts';
import { enrich } from './enrich.ts';
import { identify } from './identify.ts';
import { route } from './route.ts';
import { thread } from './thread.ts';
import { triage } from './triage.ts';

export const POST_PROCESSED = 'post.processed';

/**
 * Runs the stages after storage for one post: enrich → thread → identify → triage → route, in
 * one transaction (one commit per post; the row lock makes concurrent redeliveries wait and then
 * skip). Idempotent: a post already processed is skipped, so redelivery after a crash is
 * harmless. Events go out only after the commit.
 */
export async function processPost(
  ctx: AppContext,
  postId: string,
): Promise<{ caseId: string | null; created: boolean } | null> {
  const t = await ctx.db.transaction(async (tx) => {
    const txCtx: AppContext = { ...ctx, db: tx };
    const [post] = await tx.select().from(posts).where(eq(posts.id, postId)).for('update');
    if (!post || post.processedAt) return null;
    const signals = await enrich(txCtx, post);
    const conversationId = await thread(txCtx, post);
    const personId = await identify(txCtx, post.identityId);
    const fresh = { ...post, conversationId };
    const r = await triage(txCtx, fresh, signals, conversationId, personId);
    if (r.caseId && post.direction === 'inbound')
      await route(txCtx, r.caseId, r.created, fresh, signals, personId);
    await tx.update(posts).set({ processedAt: new Date() }).where(eq(posts.id, postId));
    return r;
  });
  if (!t) return null;
  if (t.caseId) ctx.live.emitEvent({ type: t.created ? 'case.created' : 'case.updated', caseId: t.caseId });
  await ctx.bus.publish(POST_PROCESSED, { postId, caseId: t.caseId, created: t.created });
  return { caseId: t.caseId, created: t.created };
}
