import { secretOf } from '../ingestion/channel-config-base.ts';
import { createChannelHttp } from '../ingestion/channel-http.ts';
import { ChannelConfigError } from '../ingestion/reader.ts';
import type { Sender } from '../registry.ts';
import { xConfigSchema } from './x-config.ts';

type XTarget = { inReplyTo?: string; identityExternalId?: string };

const http = createChannelHttp({ timeoutMs: 30_000 });

/**
 * Replies with `POST /2/tweets` `{text, reply: {in_reply_to_tweet_id}}`
 * (https://docs.x.com/x-api/posts/create-post) and sends private messages with
 * `POST /2/dm_conversations/with/:participant_id/messages` (https://docs.x.com/x-api/direct-messages/create-dm-message-by-participant-id),
 * both with the user-context token (`userAccessToken`).
 */
export const sendX: Sender = async (item, channel) => {
  if (!channel) throw new ChannelConfigError('no X channel is configured');
  const config = xConfigSchema.parse(channel.config);
  const base = config.apiBaseUrl.replace(/\/$/, '');
  const headers = {
    authorization: `Bearer ${secretOf(channel.secrets, 'userAccessToken', 'x')}`,
    'content-type': 'application/json',
  };
  const target = item.target as XTarget;
  if (item.mode === 'private') {
    if (!target.identityExternalId || !/^\d+$/.test(target.identityExternalId))
      throw new Error('the customer has no X user id to message');
    const res = await http.json<{ data: { dm_event_id: string } }>(
      `${base}/2/dm_conversations/with/${target.identityExternalId}/messages`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify({ text: item.text }),
      },
    );
    return { externalId: `dm:${res.data.dm_event_id}` };
  }
  if (!target.inReplyTo) throw new Error('the reply has no X post to answer');
  const res = await http.json<{ data: { id: string } }>(`${base}/2/tweets`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ text: item.text, reply: { in_reply_to_tweet_id: target.inReplyTo } }),
  });
  return { externalId: res.data.id };
};
