import { eq } from 'drizzle-orm';
import type { AppContext, Signals } from '../context.ts';
import { posts } from '../modules/conversations/conversations.schema.ts';

type PostRow = typeof posts.$inferSelect;

/** Stage 3: language, sentiment, intent, actionable, PII and service-recovery signals. */
export async function enrich(ctx: AppContext, post: PostRow): Promise<Signals> {
  const text = post.title && post.channel !== 'x' ? `${post.title}\n${post.text}` : post.text;
  const s = ctx.enricher.enrich(text, {
    channel: post.channel,
    toBrand: post.toBrand,
    lang: post.lang ?? undefined,
  });
  await ctx.db
    .update(posts)
    .set({
      lang: post.lang ?? s.lang,
      sentiment: s.sentiment,
      sentimentScore: s.sentimentScore,
      intent: s.intent,
      actionable: s.actionable,
      serviceRecovery: s.serviceRecovery,
      pii: s.pii,
      signals: s.signals,
    })
    .where(eq(posts.id, post.id));
  return { ...s, lang: post.lang ?? s.lang };
}
