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

/** Pushes `site`-style keys for a host and each of its parent domains (`www.comcast.net`, `comcast.net`, `net`). */
function pushDomainKeys(code: string, host: string, out: string[]): void {
  let h = host;
  while (h) {
    out.push(code + h);
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
 * Every case-insensitive key of one token: its own key, plus for a URL the `site:` keys of its
 * host, for an e-mail address the `email:` keys of the address and its domain.
 */
export function keysOfToken(token: Token): string[] {
  const out = [tokenKey(token)];
  if (token.kind === 'url') pushDomainKeys(FIELD_CODE.site, token.domain!, out);
  else if (token.kind === 'email') {
    out.push(FIELD_CODE.email + token.norm);
    pushDomainKeys(FIELD_CODE.email, token.domain!, out);
  }
  return out;
}

/** The keys of one attribute value: an author handle or id, a channel, a language. */
export function attributeKeys(field: 'author' | 'channel' | 'lang', raw: string): string[] {
  const v = raw.toLowerCase();
  if (field === 'author') return [FIELD_CODE.author + (v.startsWith('@') ? v.slice(1) : v)];
  if (field === 'channel') return [FIELD_CODE.channel + v];
  const lang = v.replace(/_/g, '-');
  const dash = lang.indexOf('-');
  return dash > 0
    ? [FIELD_CODE.lang + lang, FIELD_CODE.lang + lang.slice(0, dash)]
    : [FIELD_CODE.lang + lang];
}

/** The `site:` keys of the post's own URL and its links. */
export function linkedSiteKeys(post: MatchPost): string[] {
  const out: string[] = [];
  if (post.url) pushDomainKeys(FIELD_CODE.site, hostOf(post.url), out);
  if (post.links) for (const link of post.links) pushDomainKeys(FIELD_CODE.site, hostOf(link), out);
  return out;
}

/** The keys of a post's attributes: author (handle and id), channel, language, linked sites. */
export function postFieldKeys(post: MatchPost): string[] {
  const out = attributeKeys('author', post.author.handle);
  if (post.author.externalId !== post.author.handle)
    out.push(...attributeKeys('author', post.author.externalId));
  out.push(...attributeKeys('channel', post.channel));
  if (post.lang) out.push(...attributeKeys('lang', post.lang));
  out.push(...linkedSiteKeys(post));
  return out;
}

/**
 * Visits every key of a post with the index of the token it came from (-1 for the post's
 * attributes): each token's keys, its exact-case key when `exact`, then the attribute keys.
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
    for (const key of keysOfToken(t)) visit(key, i);
    if (exact) {
      const k = exactKey(i < textTokens ? post.text : (post.title ?? ''), t);
      if (k !== null) visit(k, i);
    }
  }
  for (const key of postFieldKeys(post)) visit(key, -1);
}
