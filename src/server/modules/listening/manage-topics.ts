import { asc, eq, sql } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { compileTopic } from './compile-topic.ts';
import { type TopicFilters, topics } from './listening.schema.ts';

export type TopicInput = {
  name?: string | undefined;
  query?: string | undefined;
  includes?: string[] | undefined;
  excludes?: string[] | undefined;
  filters?: TopicFilters | undefined;
  enabled?: boolean | undefined;
};

export type TopicRow = typeof topics.$inferSelect;
/** A topic with its matches and agents' dismissals over the last 30 days. */
export type TopicView = TopicRow & {
  stats: { matches30d: number; dismissed30d: number };
  /** Share of the last 30 days' matches that agents did not dismiss (null without matches). */
  precision: number | null;
};

async function withStats(db: Db, rows: TopicRow[]): Promise<TopicView[]> {
  if (!rows.length) return [];
  const since = new Date(Date.now() - 30 * 86_400_000);
  const counts = await queryRows<{ topic_id: string; matches: string; dismissed: string }>(
    db,
    sql`SELECT m.topic_id, m.matches::text, coalesce(d.dismissed, 0)::text AS dismissed
        FROM (SELECT unnest(topic_ids) AS topic_id, count(*) AS matches FROM posts
              WHERE ingested_at >= ${since.toISOString()} AND cardinality(topic_ids) > 0 GROUP BY 1) m
        LEFT JOIN (SELECT topic_id, count(*) AS dismissed FROM topic_matches
              WHERE dismissed_at IS NOT NULL AND matched_at >= ${since.toISOString()} GROUP BY 1) d
          ON d.topic_id = m.topic_id`,
  );
  const byId = new Map(counts.map((c) => [c.topic_id, c]));
  return rows.map((t) => {
    const c = byId.get(t.id);
    const matches = Number(c?.matches ?? 0);
    const dismissed = Number(c?.dismissed ?? 0);
    return {
      ...t,
      stats: { matches30d: matches, dismissed30d: dismissed },
      precision: matches ? (matches - dismissed) / matches : null,
    };
  });
}

export async function listTopics(db: Db): Promise<TopicView[]> {
  return withStats(db, await db.select().from(topics).orderBy(asc(topics.name), asc(topics.createdAt)));
}

export async function getTopicRow(db: Db, id: string): Promise<TopicRow> {
  const [t] = await db.select().from(topics).where(eq(topics.id, id));
  if (!t) throw notFound('Topic');
  return t;
}

export async function getTopic(db: Db, id: string): Promise<TopicView> {
  const [view] = await withStats(db, [await getTopicRow(db, id)]);
  return view!;
}

/** Creates (id null) or changes a topic after checking every query parses. Audited. */
export async function saveTopic(
  db: Db,
  id: string | null,
  input: TopicInput,
  actor: Actor,
): Promise<TopicRow> {
  return db.transaction(async (tx) => {
    const current = id ? await getTopicRow(tx, id) : null;
    const query = input.query ?? current?.query;
    if (!query) throw badRequest('A topic needs a query', undefined, 'query_required');
    if (!input.name && !current) throw badRequest('A topic needs a name', undefined, 'name_required');
    compileTopic({
      query,
      includes: input.includes ?? current?.includes ?? [],
      excludes: input.excludes ?? current?.excludes ?? [],
    });
    const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<
      typeof topics.$inferInsert
    >;
    let row: TopicRow | undefined;
    if (current) {
      [row] = await tx
        .update(topics)
        .set({ ...values, version: current.version + 1, updatedAt: new Date() })
        .where(eq(topics.id, current.id))
        .returning();
    } else {
      [row] = await tx
        .insert(topics)
        .values({ ...values, name: input.name!, query })
        .returning();
    }
    await audit(
      tx,
      actor,
      current ? 'topic.updated' : 'topic.created',
      { type: 'topic', id: row!.id },
      { ...input },
    );
    return row!;
  });
}

export async function deleteTopic(db: Db, id: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const t = await getTopicRow(tx, id);
    await tx.delete(topics).where(eq(topics.id, id));
    await audit(tx, actor, 'topic.deleted', { type: 'topic', id }, { name: t.name, query: t.query });
  });
}
