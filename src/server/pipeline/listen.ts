import type { NormalisedPost } from '../../common/post.schema.ts';
import type { AppContext, TopicMatch } from '../context.ts';

/** Stage 2: which listening topics match the post (the listening module's in-memory matcher). */
export function listen(ctx: AppContext, post: NormalisedPost): TopicMatch[] {
  return ctx.listener.match({
    text: post.text,
    title: post.title,
    channel: post.channel,
    author: { handle: post.author.handle, externalId: post.author.externalId },
    lang: post.lang,
    url: post.url,
    links: post.links,
    isRepost: post.isRepost,
  });
}
