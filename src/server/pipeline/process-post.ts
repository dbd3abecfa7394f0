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
 * Runs the stages after storage for one post: enrich → thread → identify → triage → route.
 * Idempotent: a post already processed is skipped, so redelivery after a crash is harmless.
 */
export async function processPost(ctx: AppContext, postId: string): Promise<{ caseId: string | null; created: boolean } | null> {
  const [post] = await ctx.db.select().from(posts).where(eq(posts.id, postId));
  if (!post || post.processedAt) return null;
  const signals = await enrich(ctx, post);
  const conversationId = await thread(ctx, post);
  const personId = await identify(ctx, post.identityId);
  const fresh = { ...post, conversationId };
  const t = await triage(ctx, fresh, signals, conversationId, personId);
  if (t.caseId && post.direction === 'inbound') await route(ctx, t.caseId, t.created, fresh, signals, personId);
  await ctx.db.update(posts).set({ processedAt: new Date() }).where(eq(posts.id, postId));
  if (t.caseId) {
    ctx.live.emitEvent({ type: t.created ? 'case.created' : 'case.updated', caseId: t.caseId });
    await ctx.bus.publish(POST_PROCESSED, { postId, caseId: t.caseId, created: t.created });
  } else {
    await ctx.bus.publish(POST_PROCESSED, { postId, caseId: null, created: false });
  }
  return { caseId: t.caseId, created: t.created };
}
