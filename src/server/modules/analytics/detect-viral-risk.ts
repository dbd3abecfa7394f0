import { and, desc, eq, lt } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { getAlertSettings } from './alert-settings.ts';
import { postMetricSnapshots } from './analytics.schema.ts';
import { raiseAlert } from './raise-alert.ts';

export type PostMetrics = { reposts?: number; replies?: number; likes?: number };

/**
 * Viral risk of an inbound post from the engagement its channel reports: reshares + replies per
 * hour, since the previous snapshot (or since the post was written, for the first one). A post
 * growing faster than the threshold raises one alert. Connectors that re-read a post's counts
 * call `observePostMetrics`; the pipeline checks the counts a post arrived with.
 */
export async function observePostMetrics(
  ctx: AppContext,
  postId: string,
  metrics: PostMetrics,
  at = new Date(),
) {
  const [p] = await ctx.db
    .select({
      id: posts.id,
      createdAt: posts.createdAt,
      direction: posts.direction,
      text: posts.text,
      url: posts.url,
      sentiment: posts.sentiment,
      topicIds: posts.topicIds,
    })
    .from(posts)
    .where(eq(posts.id, postId));
  if (p?.direction !== 'inbound') return null;
  const engagement = (metrics.reposts ?? 0) + (metrics.replies ?? 0);
  const [prev] = await ctx.db
    .select()
    .from(postMetricSnapshots)
    .where(and(eq(postMetricSnapshots.postId, postId), lt(postMetricSnapshots.at, at)))
    .orderBy(desc(postMetricSnapshots.at))
    .limit(1);
  const since = prev ? prev.at : p.createdAt;
  const grown = engagement - (prev ? prev.reposts + prev.replies : 0);
  const hours = Math.max(0.25, (at.getTime() - since.getTime()) / 3_600_000);
  const velocity = grown / hours;
  await ctx.db
    .insert(postMetricSnapshots)
    .values({
      postId,
      at,
      reposts: metrics.reposts ?? 0,
      replies: metrics.replies ?? 0,
      likes: metrics.likes ?? 0,
      velocity,
    })
    .onConflictDoNothing();
  const s = await getAlertSettings(ctx.db);
  if (engagement < s.viral.minEngagement || velocity < s.viral.minVelocityPerHour) return null;
  return raiseAlert(ctx, {
    kind: 'viral_risk',
    severity: p.sentiment === 'negative' ? 'critical' : 'warning',
    title: `Fast-spreading post: ${Math.round(velocity)} reshares/replies per hour — "${p.text.slice(0, 100)}"`,
    topicId: p.topicIds[0] ?? null,
    data: {
      engagement,
      velocityPerHour: Math.round(velocity),
      sentiment: p.sentiment,
      url: p.url,
      ...metrics,
    },
    postIds: [postId],
    dedupeKey: `viral_risk:${postId}`,
    score: velocity,
  });
}

/** The pipeline's check: the counts a processed post arrived with. */
export async function checkViralRisk(ctx: AppContext, postId: string, metrics: PostMetrics): Promise<void> {
  if ((metrics.reposts ?? 0) + (metrics.replies ?? 0) <= 0) return;
  await observePostMetrics(ctx, postId, metrics);
}
