import { AtpAgent } from '@atproto/api';
import { secretOf } from '../ingestion/channel-config-base.ts';
import { ChannelConfigError } from '../ingestion/reader.ts';
import type { ChannelRow, Sender } from '../registry.ts';
import { blueskyConfigSchema } from './bluesky-config.ts';

const agents = new Map<string, { key: string; agent: Promise<AtpAgent> }>();

/** A logged-in agent per channel (app password), reused while the channel's config is unchanged. */
function agentFor(channel: ChannelRow): Promise<AtpAgent> {
  const config = blueskyConfigSchema.parse(channel.config);
  if (!config.identifier)
    throw new ChannelConfigError(
      `the Bluesky channel ${channel.name} needs config.identifier (handle or DID) to send`,
    );
  const password = secretOf(channel.secrets, 'appPassword', 'bluesky');
  const key = `${channel.updatedAt.getTime()}:${config.service}`;
  const cached = agents.get(channel.id);
  if (cached?.key === key) return cached.agent;
  const agent = (async () => {
    const a = new AtpAgent({ service: config.service });
    await a.login({ identifier: config.identifier!, password });
    return a;
  })();
  agents.set(channel.id, { key, agent });
  agent.catch(() => agents.delete(channel.id));
  return agent;
}

type BlueskyTarget = { inReplyTo?: string; identityExternalId?: string };

/**
 * Replies on Bluesky with `com.atproto.repo.createRecord` (via `@atproto/api`): the parent is
 * the post answered, the root is the parent's own `reply.root` (or the parent when it starts
 * the thread), both as strong refs `{uri, cid}` read with `app.bsky.feed.getPosts` —
 * https://docs.bsky.app/docs/advanced-guides/posts#replies. Private replies go through the chat
 * service (`chat.bsky.convo.getConvoForMembers` + `sendMessage`, proxied to did:web:api.bsky.chat),
 * which works where the customer's chat settings allow it.
 */
export const sendBluesky: Sender = async (item, channel) => {
  if (!channel) throw new ChannelConfigError('no Bluesky channel is configured');
  const agent = await agentFor(channel);
  const target = item.target as BlueskyTarget;
  if (item.mode === 'private') {
    const did = target.identityExternalId;
    if (!did?.startsWith('did:')) throw new Error('the customer has no Bluesky DID to message');
    const chat = agent.withProxy('bsky_chat', 'did:web:api.bsky.chat');
    const convo = await chat.chat.bsky.convo.getConvoForMembers({ members: [did] });
    const sent = await chat.chat.bsky.convo.sendMessage({
      convoId: convo.data.convo.id,
      message: { text: item.text },
    });
    return { externalId: `chat:${convo.data.convo.id}:${sent.data.id}` };
  }
  if (!target.inReplyTo?.startsWith('at://'))
    throw new Error('the reply has no Bluesky post (AT-URI) to answer');
  const found = await agent.getPosts({ uris: [target.inReplyTo] });
  const parent = found.data.posts[0];
  if (!parent) throw new Error(`the post ${target.inReplyTo} no longer exists`);
  const parentRef = { uri: parent.uri, cid: parent.cid };
  const parentReply = (parent.record as { reply?: { root?: { uri: string; cid: string } } }).reply;
  const root = parentReply?.root ?? parentRef;
  const res = await agent.post({
    text: item.text,
    reply: { root, parent: parentRef },
    createdAt: new Date().toISOString(),
  });
  return { externalId: res.uri };
};
