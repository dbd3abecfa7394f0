import { sql } from 'drizzle-orm';
import type { Listener, MatchablePost, TopicMatch } from '../../context.ts';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { BRAND_SETTING, getBrand } from '../people/brand.ts';
import { compileTopic } from './compile-topic.ts';
import { type TopicFilters, topics } from './listening.schema.ts';
import { passesTopicFilters } from './passes-topic-filters.ts';
import { QueryMatcher } from './query-matcher.ts';

/** How often `match` checks (in the background) whether topics changed in another process. */
const CHECK_EVERY_MS = 5_000;

export type TopicListener = Listener & {
  /** Topics that could not be loaded (a stored query that no longer parses), by id. */
  readonly errors: ReadonlyMap<string, string>;
};

/**
 * The live topic matcher the pipeline's listen stage calls for every inbound post. It holds every
 * enabled topic in one `QueryMatcher`; `reload()` applies what changed (added, edited, disabled,
 * deleted topics) between two posts, without a restart. Changes made by another process (API node
 * and worker apart) are noticed within a few seconds: `match` starts a cheap background check.
 */
export async function createTopicListener(db: Db): Promise<TopicListener> {
  const matcher = new QueryMatcher();
  const loaded = new Map<string, number>();
  const filters = new Map<string, TopicFilters>();
  const errors = new Map<string, string>();
  let brandHandles: ReadonlySet<string> = new Set();
  let signature = '';
  let lastCheck = Date.now();
  let running: Promise<void> | null = null;

  async function load(): Promise<void> {
    const rows = await db
      .select({
        id: topics.id,
        query: topics.query,
        includes: topics.includes,
        excludes: topics.excludes,
        filters: topics.filters,
        enabled: topics.enabled,
        version: topics.version,
        updatedAt: topics.updatedAt,
      })
      .from(topics);
    const brand = await getBrand(db);
    brandHandles = new Set(brand.handles.map((h) => h.replace(/^@/, '').toLowerCase()));
    const live = new Set<string>();
    for (const t of rows) {
      if (!t.enabled) continue;
      live.add(t.id);
      const stamp = t.version * 1e13 + t.updatedAt.getTime();
      filters.set(t.id, t.filters);
      if (loaded.get(t.id) === stamp) continue;
      try {
        matcher.add(t.id, compileTopic(t));
        loaded.set(t.id, stamp);
        errors.delete(t.id);
      } catch (e) {
        matcher.remove(t.id);
        loaded.delete(t.id);
        errors.set(t.id, (e as Error).message);
      }
    }
    for (const id of [...loaded.keys()]) {
      if (live.has(id)) continue;
      matcher.remove(id);
      loaded.delete(id);
      filters.delete(id);
    }
    signature = await currentSignature(db);
  }

  function reload(): Promise<void> {
    // One reload at a time; a request during a reload waits for it and then runs its own.
    const next = (running ?? Promise.resolve()).then(load, load);
    running = next.finally(() => {
      if (running === next) running = null;
    });
    return next;
  }

  async function checkForChanges(): Promise<void> {
    try {
      if ((await currentSignature(db)) !== signature) await reload();
    } catch {
      // The database may be closing or briefly unavailable: the next check retries.
    }
  }

  await reload();
  return {
    errors,
    reload,
    match(post: MatchablePost): TopicMatch[] {
      const now = Date.now();
      if (now - lastCheck > CHECK_EVERY_MS) {
        lastCheck = now;
        void checkForChanges();
      }
      const out: TopicMatch[] = [];
      for (const hit of matcher.match(post)) {
        const f = filters.get(hit.id);
        if (f && !passesTopicFilters(f, post, brandHandles)) continue;
        out.push({ topicId: hit.id, highlights: hit.highlights });
      }
      return out;
    },
  };
}

/** Changes whenever a topic or the brand settings change. */
async function currentSignature(db: Db): Promise<string> {
  const [row] = await queryRows<{ n: string; v: string | null; u: string | null; b: string | null }>(
    db,
    sql`SELECT count(*)::text AS n, sum(version)::text AS v, max(updated_at)::text AS u,
        (SELECT md5(value::text) FROM settings WHERE key = ${BRAND_SETTING}) AS b
        FROM topics`,
  );
  return `${row?.n}|${row?.v}|${row?.u}|${row?.b}`;
}
