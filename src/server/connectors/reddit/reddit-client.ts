import { secretOf } from '../ingestion/channel-config-base.ts';
import type { ChannelHttp } from '../ingestion/channel-http.ts';
import type { ChannelRow } from '../registry.ts';
import { redditConfigSchema } from './reddit-config.ts';

export const REDDIT_USER_AGENT = 'server:earshot:0.1 (self-hosted social customer care)';

const tokens = new Map<string, { key: string; token: string; expiresAt: number }>();

/**
 * A bearer token for the channel's account (password grant on `/api/v1/access_token` with the
 * app's HTTP Basic credentials), cached until a minute before it expires.
 */
export async function redditToken(
  channel: ChannelRow,
  http: ChannelHttp,
  signal?: AbortSignal,
  force = false,
): Promise<{ token: string; expiresAt: number }> {
  const config = redditConfigSchema.parse(channel.config);
  const key = `${channel.updatedAt.getTime()}`;
  const cached = tokens.get(channel.id);
  if (!force && cached?.key === key && cached.expiresAt - 60_000 > Date.now()) return cached;
  const basic = Buffer.from(
    `${config.clientId}:${secretOf(channel.secrets, 'clientSecret', 'reddit')}`,
  ).toString('base64');
  const body = new URLSearchParams({
    grant_type: 'password',
    username: config.username,
    password: secretOf(channel.secrets, 'password', 'reddit'),
  });
  const res = await http.json<{ access_token?: string; expires_in?: number; error?: string }>(
    `${config.authUrl.replace(/\/$/, '')}/api/v1/access_token`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': REDDIT_USER_AGENT,
      },
      body,
    },
    signal,
  );
  if (!res.access_token) throw new Error(`Reddit refused the credentials: ${res.error ?? 'no access_token'}`);
  const entry = { key, token: res.access_token, expiresAt: Date.now() + (res.expires_in ?? 3600) * 1000 };
  tokens.set(channel.id, entry);
  return entry;
}
