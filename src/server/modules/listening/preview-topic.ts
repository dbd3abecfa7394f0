import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { getBrand } from '../people/brand.ts';
import { compileTopic, type TopicQueries } from './compile-topic.ts';
import type { TopicFilters } from './listening.schema.ts';
import { passesTopicFilters } from './passes-topic-filters.ts';
import { QueryMatcher } from './query-matcher.ts';

export type PreviewInput = TopicQueries & {
  filters?: TopicFilters | undefined;
  /** Most matches to return (the total counts them all). */
  limit?: number | undefined;
  /** How many of the most recent stored inbound posts to search. */
  scan?: number | undefined;
};

export type PreviewMatch = {
  postId: string;
  externalId: string;
  channel: string;
  author: string;
  createdAt: string;
  text: string;
  highlights: [number, number][];
};
export type PreviewResult = { total: number; scanned: number; matches: PreviewMatch[] };

type Row = {
  id: string;
  external_id: string;
  channel: string;
  text: string;
  title: string | null;
  lang: string | null;
  url: string | null;
  links: string[] | null;
  is_repost: boolean;
  created_at: Date | string;
  handle: string;
  author_external_id: string;
};

/**
 * Runs a draft topic (queries and filters) over the most recent stored inbound posts with the same
 * matcher ingest uses, and returns the matches newest first with their highlight spans.
 * Throws `invalid_query` (400) with the position of a parse error.
 */
export async function previewTopic(db: Db, input: PreviewInput): Promise<PreviewResult> {
  const node = compileTopic(input);
  const matcher = new QueryMatcher();
  matcher.add('preview', node);
  const brand = await getBrand(db);
  const brandHandles = new Set(brand.handles.map((h) => h.replace(/^@/, '').toLowerCase()));
  const limit = input.limit ?? 50;
  const scan = input.scan ?? 10_000;
  const matches: PreviewMatch[] = [];
  let total = 0;
  let scanned = 0;
  let beforeSeq: number | null = null;
  while (scanned < scan) {
    const page: number = Math.min(2_000, scan - scanned);
    const rows: (Row & { seq: string })[] = await queryRows<Row & { seq: string }>(
      db,
      sql`SELECT p.id, p.external_id, p.channel, p.text, p.title, p.lang, p.url, p.links, p.is_repost,
            p.created_at, p.seq::text AS seq, i.handle, i.external_id AS author_external_id
          FROM posts p JOIN identities i ON i.id = p.identity_id
          WHERE p.direction = 'inbound' ${beforeSeq === null ? sql`` : sql`AND p.seq < ${beforeSeq}`}
          ORDER BY p.seq DESC LIMIT ${page}`,
    );
    for (const r of rows) {
      const post = {
        text: r.text,
        title: r.title ?? undefined,
        channel: r.channel,
        author: { handle: r.handle, externalId: r.author_external_id },
        lang: r.lang ?? undefined,
        url: r.url ?? undefined,
        links: r.links ?? undefined,
        isRepost: r.is_repost,
      };
      const [hit] = matcher.match(post);
      if (!hit || (input.filters && !passesTopicFilters(input.filters, post, brandHandles))) continue;
      total++;
      if (matches.length < limit) {
        matches.push({
          postId: r.id,
          externalId: r.external_id,
          channel: r.channel,
          author: r.handle,
          createdAt: new Date(r.created_at).toISOString(),
          text: r.text,
          highlights: hit.highlights,
        });
      }
    }
    scanned += rows.length;
    if (rows.length < page) break;
    beforeSeq = Number(rows[rows.length - 1]!.seq);
  }
  return { total, scanned, matches };
}
