import { createChannelHttp } from '../ingestion/channel-http.ts';
import { ChannelConfigError, RateLimitedError } from '../ingestion/reader.ts';
import type { Sender } from '../registry.ts';
import { REDDIT_USER_AGENT, redditToken } from './reddit-client.ts';
import { redditConfigSchema } from './reddit-config.ts';

type RedditTarget = { inReplyTo?: string; handle?: string; subject?: string };
type ApiJson = {
  json?: {
    errors?: [string, string, string?][];
    ratelimit?: number;
    data?: { things?: { data: { name: string } }[] };
  };
};

const http = createChannelHttp({ timeoutMs: 30_000, minIntervalMs: 1000, userAgent: REDDIT_USER_AGENT });

/**
 * Replies with `POST /api/comment` (`thing_id` = the post or comment answered, `text` in
 * Markdown) and writes private messages with `POST /api/compose` — https://www.reddit.com/dev/api#POST_api_comment.
 * Reddit reports problems inside a 200 (`json.errors`, e.g. RATELIMIT): those become failures
 * the outbox retries.
 */
export const sendReddit: Sender = async (item, channel) => {
  if (!channel) throw new ChannelConfigError('no Reddit channel is configured');
  const config = redditConfigSchema.parse(channel.config);
  const { token } = await redditToken(channel, http);
  const target = item.target as RedditTarget;
  const form =
    item.mode === 'private'
      ? new URLSearchParams({
          api_type: 'json',
          to: target.handle ?? '',
          subject: target.subject ?? 'Your message',
          text: item.text,
        })
      : new URLSearchParams({ api_type: 'json', thing_id: target.inReplyTo ?? '', text: item.text });
  if (item.mode === 'private' && !target.handle)
    throw new Error('the customer has no Reddit username to message');
  if (item.mode !== 'private' && !/^t[13]_[a-z0-9]+$/.test(target.inReplyTo ?? ''))
    throw new Error('the reply has no Reddit post or comment to answer');
  const res = await http.json<ApiJson>(
    `${config.apiUrl.replace(/\/$/, '')}/api/${item.mode === 'private' ? 'compose' : 'comment'}`,
    {
      method: 'POST',
      headers: { authorization: `bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
    },
  );
  const errors = res.json?.errors ?? [];
  if (errors.length) {
    const [code, message] = errors[0]!;
    if (code === 'RATELIMIT')
      throw new RateLimitedError(`Reddit: ${message}`, Date.now() + (res.json?.ratelimit ?? 60) * 1000);
    throw new Error(
      `Reddit refused the ${item.mode === 'private' ? 'message' : 'comment'}: ${code} ${message}`,
    );
  }
  const name = res.json?.data?.things?.[0]?.data.name;
  return { externalId: name ?? `message:${item.id}` };
};
