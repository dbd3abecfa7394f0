import { secretOf } from '../ingestion/channel-config-base.ts';
import { createChannelHttp } from '../ingestion/channel-http.ts';
import { ChannelConfigError } from '../ingestion/reader.ts';
import type { Sender } from '../registry.ts';
import { discourseConfigSchema, discourseHeaders } from './discourse-config.ts';

type DiscourseTarget = { inReplyTo?: string; handle?: string; subject?: string };

const http = createChannelHttp({ timeoutMs: 30_000 });

/**
 * Replies with `POST /posts.json` `{topic_id, raw, reply_to_post_number}` after reading the
 * answered post (`GET /posts/{id}.json`), and writes private messages with
 * `{title, raw, target_recipients, archetype: "private_message"}` — https://docs.discourse.org/#tag/Posts/operation/createTopicPostPM.
 * Authenticated with the `Api-Key` and `Api-Username` headers.
 */
export const sendDiscourse: Sender = async (item, channel) => {
  if (!channel) throw new ChannelConfigError('no Discourse channel is configured');
  const config = discourseConfigSchema.parse(channel.config);
  if (!config.apiUsername)
    throw new ChannelConfigError(`the Discourse channel ${channel.name} needs config.apiUsername to post`);
  const base = config.baseUrl.replace(/\/$/, '');
  const headers = {
    ...discourseHeaders(config, secretOf(channel.secrets, 'apiKey', 'discourse')),
    'content-type': 'application/json',
  };
  const target = item.target as DiscourseTarget;
  let body: Record<string, unknown>;
  if (item.mode === 'private') {
    if (!target.handle) throw new Error('the customer has no forum username to message');
    body = {
      title: target.subject ?? 'Your post on our forum',
      raw: item.text,
      target_recipients: target.handle,
      archetype: 'private_message',
    };
  } else {
    if (!target.inReplyTo || !/^\d+$/.test(target.inReplyTo))
      throw new Error('the reply has no forum post to answer');
    const parent = await http.json<{ topic_id: number; post_number: number }>(
      `${base}/posts/${target.inReplyTo}.json`,
      { headers },
    );
    body = { topic_id: parent.topic_id, raw: item.text, reply_to_post_number: parent.post_number };
  }
  const res = await http.json<{ id: number }>(`${base}/posts.json`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { externalId: String(res.id) };
};
