import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { htmlLinks, htmlToText } from '../ingestion/html-to-text.ts';

/** The fields of Mastodon's Status entity that Earshot reads (https://docs.joinmastodon.org/entities/Status/). */
export type MastodonStatus = {
  id: string;
  uri: string;
  url?: string | null;
  created_at: string;
  content: string;
  spoiler_text?: string;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  language?: string | null;
  in_reply_to_id?: string | null;
  in_reply_to_account_id?: string | null;
  reblog?: MastodonStatus | null;
  account: {
    id: string;
    acct: string;
    username: string;
    display_name?: string;
    followers_count?: number;
    url?: string;
  };
  mentions?: { id: string; acct: string }[];
  replies_count?: number;
  reblogs_count?: number;
  favourites_count?: number;
};

/** `user@instance` for every account, also local ones (whose `acct` has no domain). */
export function fullAcct(acct: string, instanceHost: string): string {
  return acct.includes('@') ? acct : `${acct}@${instanceHost}`;
}

/** A Status as a normalised post; `ownAccountId` marks mentions of and replies to the brand. */
export function statusPost(
  s: MastodonStatus,
  instanceHost: string,
  ownAccountId: string | null,
): NormalisedPostInput {
  const shown = s.reblog ?? s;
  const acct = fullAcct(s.account.acct, instanceHost);
  const body = htmlToText(shown.content);
  const text = shown.spoiler_text ? `${shown.spoiler_text}\n\n${body}` : body;
  const addressed =
    ownAccountId !== null &&
    s.account.id !== ownAccountId &&
    ((s.mentions ?? []).some((m) => m.id === ownAccountId) || s.in_reply_to_account_id === ownAccountId);
  return {
    channel: 'mastodon',
    externalId: s.id,
    url: s.url ?? s.uri,
    author: {
      externalId: acct,
      handle: acct,
      ...(s.account.display_name ? { displayName: s.account.display_name.slice(0, 512) } : {}),
      ...(typeof s.account.followers_count === 'number' ? { followers: s.account.followers_count } : {}),
    },
    text: text.slice(0, 200_000),
    createdAt: new Date(s.created_at).toISOString(),
    ...(s.in_reply_to_id ? { inReplyTo: s.in_reply_to_id } : {}),
    ...(addressed ? { toBrand: true } : {}),
    isPrivate: s.visibility === 'direct',
    isRepost: Boolean(s.reblog),
    ...(shown.language ? { lang: shown.language.slice(0, 16) } : {}),
    links: htmlLinks(shown.content),
    metrics: { replies: s.replies_count ?? 0, reposts: s.reblogs_count ?? 0, likes: s.favourites_count ?? 0 },
    raw: {
      uri: s.uri,
      visibility: s.visibility,
      accountId: s.account.id,
      inReplyToAccountId: s.in_reply_to_account_id ?? null,
      mentions: (s.mentions ?? []).map((m) => m.acct),
    },
  };
}

/** Mastodon ids are numeric strings (Snowflake-like): compare by length, then text. */
export function newerId(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.length !== b.length ? (a.length > b.length ? a : b) : a > b ? a : b;
}
