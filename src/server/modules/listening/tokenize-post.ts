import type { MatchPost } from './token-keys.ts';
import { type Token, tokenize } from './tokenize.ts';

/** Gap in word positions between a post's text and its title, so that NEAR never spans both. */
const TITLE_GAP = 1_000_000;

/** The tokens of a post: its text's, then its title's (offsets relative to the title). */
export type PostTokens = { tokens: Token[]; textTokens: number };

/** Tokenizes a post's text and title once, for every query. */
export function tokenizePost(post: MatchPost): PostTokens {
  const tokens = tokenize(post.text);
  const textTokens = tokens.length;
  if (post.title) {
    for (const t of tokenize(post.title)) {
      t.pos += TITLE_GAP;
      t.endPos += TITLE_GAP;
      tokens.push(t);
    }
  }
  return { tokens, textTokens };
}
