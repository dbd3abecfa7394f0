import type { AppContext } from '../../context.ts';
import { syncCaseFacts } from './count-case.ts';
import { countPost } from './count-post.ts';
import { countReply } from './count-reply.ts';
import { checkViralRisk } from './detect-viral-risk.ts';

/**
 * Keeps the rollups up to date as events happen: every processed post, every sent reply, every
 * case change. Each handler is idempotent (what was counted is recorded), so redelivery by the
 * bus never counts twice. Started by the worker (`runtime.ts`).
 */
export async function startAnalytics(ctx: AppContext): Promise<void> {
  const concurrency = ctx.database.kind === 'postgres' ? 4 : 1;
  await ctx.bus.subscribe(
    'post.processed',
    'analytics',
    async (data) => {
      const { postId, caseId } = data as { postId: string; caseId: string | null };
      const post = await countPost(ctx.db, postId);
      if (caseId) await syncCaseFacts(ctx.db, caseId);
      if (post?.metrics && post.direction === 'inbound') await checkViralRisk(ctx, post.id, post.metrics);
    },
    { concurrency },
  );
  await ctx.bus.subscribe(
    'reply.sent',
    'analytics',
    async (data) => {
      const { outboxId, caseId } = data as { outboxId: string; caseId: string | null };
      await countReply(ctx.db, outboxId);
      if (caseId) await syncCaseFacts(ctx.db, caseId);
    },
    { concurrency },
  );
  await ctx.bus.subscribe(
    'case.*',
    'analytics',
    async (data) => {
      const { caseId } = data as { caseId?: string };
      if (caseId) await syncCaseFacts(ctx.db, caseId);
    },
    { concurrency },
  );
}
