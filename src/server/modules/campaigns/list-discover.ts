import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import { contactableSql } from './contact-guardrails.ts';
import type { OutreachSettings } from './outreach-settings.ts';

export type DiscoverItem = {
  postId: string;
  channel: string;
  externalId: string;
  url: string | null;
  text: string;
  createdAt: string;
  author: { identityId: string; handle: string; displayName: string | null; personId: string | null };
  topicIds: string[];
  signals: { sentiment: string | null; intent: string | null; actionable: boolean | null };
  score: number;
  reasons: string[];
};

type Row = {
  id: string;
  channel: string;
  external_id: string;
  url: string | null;
  text: string;
  created_at: string | Date;
  identity_id: string;
  handle: string;
  display_name: string | null;
  person_id: string | null;
  topic_ids: string[] | string;
  sentiment: string | null;
  intent: string | null;
  actionable: boolean | null;
  negative: boolean;
  problem: boolean;
  score: number | string;
};

const pgArray = (v: string[] | string): string[] =>
  Array.isArray(v)
    ? v
    : v
        .replace(/^\{|\}$/g, '')
        .split(',')
        .filter(Boolean);

/**
 * The Discover queue: stored posts that talk about the brand without addressing it (matched a
 * topic, not to the brand, no case), ranked by how much they look like a customer with a
 * problem — negative sentiment (3), a problem intent (2), actionable (2) — then newest first.
 * People on the do-not-contact list, opted out, or at their outreach limit are left out, and so
 * are dismissed posts.
 */
export async function listDiscover(
  db: Db,
  s: OutreachSettings,
  q: { limit: number; offset: number; topicId?: string | undefined; now?: Date },
): Promise<{ items: DiscoverItem[]; nextCursor: string | null }> {
  const now = q.now ?? new Date();
  const since = new Date(now.getTime() - s.discoverDays * 86_400_000);
  const problems = s.problemIntents.map((p) => `${p.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const rows = await queryRows<Row>(
    db,
    sql`SELECT * FROM (
          SELECT p.id, p.channel, p.external_id, p.url, p.text, p.created_at, p.topic_ids, p.sentiment, p.intent, p.actionable,
                 i.id AS identity_id, i.handle, i.display_name, i.person_id,
                 (p.sentiment = 'negative') IS TRUE AS negative,
                 (p.intent IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(ARRAY[${sql.join(
                   problems.map((x) => sql`${x}`),
                   sql`, `,
                 )}]::text[]) pat WHERE p.intent LIKE pat)) AS problem
          FROM posts p JOIN identities i ON i.id = p.identity_id
          WHERE p.direction = 'inbound' AND NOT p.to_brand AND p.case_id IS NULL AND NOT p.is_repost
            AND cardinality(p.topic_ids) > 0 AND p.processed_at IS NOT NULL AND p.created_at >= ${since}
            ${q.topicId ? sql`AND p.topic_ids @> ARRAY[${q.topicId}]::uuid[]` : sql``}
            AND NOT EXISTS (SELECT 1 FROM discover_dismissals d WHERE d.post_id = p.id)
            AND ${contactableSql(s, now, sql`p.channel`)}
        ) c
        CROSS JOIN LATERAL (SELECT (CASE WHEN c.negative THEN 3 ELSE 0 END) + (CASE WHEN c.problem THEN 2 ELSE 0 END)
                                 + (CASE WHEN c.actionable IS TRUE THEN 2 ELSE 0 END) AS score) sc
        ORDER BY sc.score DESC, c.created_at DESC, c.id
        LIMIT ${q.limit + 1} OFFSET ${q.offset}`,
  );
  const items = rows.slice(0, q.limit).map((r) => {
    const reasons: string[] = [];
    if (r.negative) reasons.push('negative sentiment');
    if (r.problem) reasons.push(`problem intent: ${r.intent}`);
    if (r.actionable) reasons.push('asks for something (actionable)');
    if (!reasons.length) reasons.push('mentions the brand (no problem signal)');
    return {
      postId: r.id,
      channel: r.channel,
      externalId: r.external_id,
      url: r.url,
      text: r.text,
      createdAt: new Date(r.created_at).toISOString(),
      author: {
        identityId: r.identity_id,
        handle: r.handle,
        displayName: r.display_name,
        personId: r.person_id,
      },
      topicIds: pgArray(r.topic_ids),
      signals: { sentiment: r.sentiment, intent: r.intent, actionable: r.actionable },
      score: Number(r.score),
      reasons,
    };
  });
  return { items, nextCursor: rows.length > q.limit ? String(q.offset + q.limit) : null };
}
