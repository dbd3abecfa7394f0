import type { AppContext } from '../context.ts';
import { assignConversation } from '../modules/conversations/assign-conversation.ts';
import type { posts } from '../modules/conversations/conversations.schema.ts';

/** Stage 4: the conversation the post belongs to (replies, e-mail references, forum threads). */
export function thread(ctx: AppContext, post: typeof posts.$inferSelect): Promise<string> {
  return assignConversation(ctx.db, post);
}
