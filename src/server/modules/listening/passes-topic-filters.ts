import type { TopicFilters } from './listening.schema.ts';

/** What the per-topic noise filters look at. */
export type FilterablePost = {
  text: string;
  author: { handle: string; externalId: string };
  lang?: string | undefined;
  isRepost?: boolean | undefined;
};

const handleOf = (h: string) => h.replace(/^@/, '').toLowerCase();

/**
 * A topic's noise filters: drop reposts, the brand's own accounts, excluded authors, posts
 * shorter than `minLength` characters, and languages not listed (a post whose language is not
 * known yet is kept: language is detected after listening).
 */
export function passesTopicFilters(
  filters: TopicFilters,
  post: FilterablePost,
  brandHandles: ReadonlySet<string>,
): boolean {
  if (filters.dropReposts && post.isRepost) return false;
  const handle = handleOf(post.author.handle);
  if (filters.excludeBrandAccounts && brandHandles.has(handle)) return false;
  if (filters.excludedAuthors?.length) {
    const id = post.author.externalId.toLowerCase();
    for (const a of filters.excludedAuthors) {
      const x = handleOf(a);
      if (x === handle || x === id) return false;
    }
  }
  if (filters.minLength && post.text.trim().length < filters.minLength) return false;
  if (filters.languages?.length && post.lang) {
    const lang = post.lang.toLowerCase().replace(/_/g, '-');
    const primary = lang.split('-')[0]!;
    if (!filters.languages.some((l) => l.toLowerCase() === lang || l.toLowerCase() === primary)) return false;
  }
  return true;
}
