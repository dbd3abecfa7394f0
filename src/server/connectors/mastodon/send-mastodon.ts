import { secretOf } from '../ingestion/channel-config-base.ts';
import { createChannelHttp } from '../ingestion/channel-http.ts';
import { ChannelConfigError } from '../ingestion/reader.ts';
import type { Sender } from '../registry.ts';
import { mastodonConfigSchema } from './mastodon-config.ts';

type MastodonTarget = { inReplyTo?: string; handle?: string; identityExternalId?: string };

const http = createChannelHttp({ timeoutMs: 30_000 });

/**
 * Posts a reply with `POST /api/v1/statuses` (https://docs.joinmastodon.org/methods/statuses/#create):
 * `in_reply_to_id` is the customer's status, the text starts with their `@acct` so they are
 * notified, and a private reply uses `visibility: direct`. The outbox item id is sent as
 * `Idempotency-Key`, so a retried delivery never posts twice.
 */
export const sendMastodon: Sender = async (item, channel) => {
  if (!channel) throw new ChannelConfigError('no Mastodon channel is configured');
  const config = mastodonConfigSchema.parse(channel.config);
  const token = secretOf(channel.secrets, 'accessToken', 'mastodon');
  const target = item.target as MastodonTarget;
  const acct = target.identityExternalId ?? target.handle;
  const mention = acct ? `@${acct.replace(/^@/, '')}` : '';
  const text =
    mention && !item.text.toLowerCase().includes(mention.toLowerCase())
      ? `${mention} ${item.text}`
      : item.text;
  if (item.mode === 'public' && !target.inReplyTo)
    throw new Error('the reply has no Mastodon status to answer');
  if (item.mode === 'private' && !mention) throw new Error('the customer has no Mastodon account to message');
  const status = await http.json<{ id: string; url?: string }>(
    `${config.instanceUrl.replace(/\/$/, '')}/api/v1/statuses`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': `earshot-${item.id}`,
      },
      body: JSON.stringify({
        status: text,
        ...(target.inReplyTo ? { in_reply_to_id: target.inReplyTo } : {}),
        visibility: item.mode === 'private' ? 'direct' : config.replyVisibility,
      }),
    },
  );
  return { externalId: status.id };
};
