import type { AppContext } from '../../context.ts';
import { recordOptOut } from './record-opt-out.ts';

/** Honours opt-outs as posts are processed. Started by the worker (`runtime.ts`). */
export async function startCampaigns(ctx: AppContext): Promise<void> {
  await ctx.bus.subscribe('post.processed', 'campaigns', async (data) => {
    await recordOptOut(ctx, (data as { postId: string }).postId);
  });
}
