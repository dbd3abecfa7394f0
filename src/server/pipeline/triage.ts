import { eq } from 'drizzle-orm';
import type { AppContext, Signals } from '../context.ts';
import { openOrJoinCase } from '../modules/cases/open-or-join-case.ts';
import { findConversationCase, recordResponse } from '../modules/cases/record-response.ts';
import { posts } from '../modules/conversations/conversations.schema.ts';
import { identities } from '../modules/people/people.schema.ts';

type PostRow = typeof posts.$inferSelect;

export type TriageResult = { caseId: string | null; created: boolean; reason: string };

/**
 * Stage 6: case or mention. An inbound post that addresses the brand (or matched a topic) and is
 * actionable opens or joins a case; a brand post in a thread records a response on its case;
 * the rest stays a mention (counted, searchable, Discover queue).
 */
export async function triage(
  ctx: AppContext,
  post: PostRow,
  signals: Signals,
  conversationId: string,
  personId: string,
): Promise<TriageResult> {
  if (post.direction === 'outbound') {
    const c = await findConversationCase(ctx.db, conversationId);
    if (!c) return { caseId: null, created: false, reason: 'brand post outside a case' };
    await recordResponse(ctx.db, c.id, post.createdAt, { postId: post.id, body: post.text });
    await ctx.db.update(posts).set({ caseId: c.id }).where(eq(posts.id, post.id));
    return { caseId: c.id, created: false, reason: 'brand response recorded' };
  }
  // A reply inside a conversation that already has a case always joins it.
  const existing = await findConversationCase(ctx.db, conversationId);
  const addressed = post.toBrand || post.topicIds.length > 0;
  if (!existing && (!addressed || signals.actionable === false || post.isRepost)) {
    return { caseId: null, created: false, reason: addressed ? 'not actionable' : 'mention' };
  }
  // Posts that talk about the brand without addressing it stay mentions: they reach a person
  // through the Discover queue, where outreach guardrails (do-not-contact, limits) apply.
  if (!existing && !post.toBrand) {
    return { caseId: null, created: false, reason: 'mention (Discover queue)' };
  }
  const [ident] = await ctx.db
    .select({ followers: identities.followers })
    .from(identities)
    .where(eq(identities.id, post.identityId));
  const r = await openOrJoinCase(ctx.db, {
    postId: post.id,
    channel: post.channel,
    conversationId,
    personId,
    text: post.text,
    title: post.title,
    createdAt: post.createdAt,
    followers: ident?.followers ?? null,
    intent: signals.intent,
    sentiment: signals.sentiment,
    lang: signals.lang,
    topicIds: post.topicIds,
    serviceRecovery: signals.serviceRecovery,
  });
  await ctx.db.update(posts).set({ caseId: r.caseId }).where(eq(posts.id, post.id));
  return { caseId: r.caseId, created: r.created, reason: r.created ? 'case opened' : 'joined case' };
}
