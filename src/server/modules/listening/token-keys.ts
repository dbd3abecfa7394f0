import type { Token } from './tokenize.ts';

/**
 * Every condition a query can test is a string key: a folded word (`comcast`), a hashtag
 * (`#comcast`), a mention (`@comcastcares`), or a namespaced key below. The namespaces start with
 * control characters, which no token contains, so a word or a word prefix (`comcast*`) can never
 * reach into a URL, an e-mail address or a field.
 */
export const FIELD_KEY = '\u0001';
export const EXACT_KEY = '\u0002';
export const URL_KEY = '\u0003';
export const EMAIL_KEY = '\u0004';

export const fieldNames = ['author', 'channel', 'lang', 'site', 'email'] as const;
export type FieldName = (typeof fieldNames)[number];

const FIELD_CODE: Record<FieldName, string> = {
  author: `${FIELD_KEY}a:`,
  channel: `${FIELD_KEY}c:`,
  lang: `${FIELD_KEY}l:`,
  site: `${FIELD_KEY}s:`,
  email: `${FIELD_KEY}e:`,
};

/** The case-insensitive key of a token. */
export function tokenKey(token: Token): string {
  if (token.kind === 'url') return URL_KEY + token.norm;
  if (token.kind === 'email') return EMAIL_KEY + token.norm;
  return token.norm;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The exact-case key of a token (`=Apple`), or null for kinds that have no case (URLs, emoji). */
export function exactKey(text: string, token: Token): string | null {
  if (token.kind === 'url' || token.kind === 'email' || token.kind === 'emoji') return null;
  const raw = text.slice(token.start, token.end);
  return EXACT_KEY + (ASCII_ONLY.test(raw) ? raw : raw.normalize('NFKC'));
}

/** Normalises a field value the way post attributes are normalised (see `forEachPostKey`). */
export function normaliseFieldValue(field: FieldName, value: string): string {
  let v = value.normalize('NFKC').toLowerCase().trim();
  if (field === 'author' && v.startsWith('@')) v = v.slice(1);
  if (field === 'lang') v = v.replace(/_/g, '-');
  if (field === 'site') {
    v = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
    const cut = v.search(/[/?#]/);
    if (cut >= 0) v = v.slice(0, cut);
    v = v.replace(/\.+$/, '');
  }
  return v;
}

/** The key of a field condition; `value` must already be normalised. */
export function fieldKey(field: FieldName, value: string): string {
  return FIELD_CODE[field] + value;
}

/** The post as the matcher sees it (a subset of the normalised post). */
export type MatchPost = {
  text: string;
  title?: string | undefined;
  channel: string;
  author: { handle: string; externalId: string };
  lang?: string | undefined;
  url?: string | undefined;
  links?: readonly string[] | undefined;
};

/** Visits `site` keys for a host and each of its parent domains (`www.comcast.net`, `comcast.net`, `net`). */
function visitDomainKeys(code: string, host: string, at: number, visit: (key: string, at: number) => void) {
  let h = host;
  while (h) {
    visit(code + h, at);
    const dot = h.indexOf('.');
    if (dot < 0) break;
    h = h.slice(dot + 1);
  }
}

function hostOf(url: string): string {
  const v = normaliseFieldValue('site', url);
  const at = v.lastIndexOf('@');
  const host = at >= 0 ? v.slice(at + 1) : v;
  const colon = host.indexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/**
 * Visits every key of a post: its tokens' keys (with the token's index; exact-case keys only when
 * `exact`), then field keys (author, channel, language, the sites it links to, the e-mail addresses
 * it contains) with the index of the token they came from, or -1.
 */
export function forEachPostKey(
  post: MatchPost,
  tokens: readonly Token[],
  textTokens: number,
  exact: boolean,
  visit: (key: string, at: number) => void,
): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    visit(tokenKey(t), i);
    if (t.kind === 'url') visitDomainKeys(FIELD_CODE.site, t.domain!, i, visit);
    else if (t.kind === 'email') {
      visit(FIELD_CODE.email + t.norm, i);
      visitDomainKeys(FIELD_CODE.email, t.domain!, i, visit);
    } else if (exact) {
      const k = exactKey(i < textTokens ? post.text : (post.title ?? ''), t);
      if (k !== null) visit(k, i);
    }
  }
  const handle = post.author.handle.toLowerCase();
  visit(FIELD_CODE.author + (handle.startsWith('@') ? handle.slice(1) : handle), -1);
  const ext = post.author.externalId.toLowerCase();
  if (ext !== handle) visit(FIELD_CODE.author + ext, -1);
  visit(FIELD_CODE.channel + post.channel.toLowerCase(), -1);
  if (post.lang) {
    const lang = post.lang.toLowerCase().replace(/_/g, '-');
    visit(FIELD_CODE.lang + lang, -1);
    const dash = lang.indexOf('-');
    if (dash > 0) visit(FIELD_CODE.lang + lang.slice(0, dash), -1);
  }
  if (post.url) visitDomainKeys(FIELD_CODE.site, hostOf(post.url), -1, visit);
  if (post.links) for (const link of post.links) visitDomainKeys(FIELD_CODE.site, hostOf(link), -1, visit);
}
