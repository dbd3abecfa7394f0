import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedPost } from '../../../common/post.schema.ts';
import { importTwcs } from '../../connectors/importers/import-twcs.ts';
import { ingestPosts } from '../../pipeline/ingest.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { exactQuantile } from './histogram.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const FILE = resolve(REPO, '../shared/data/twcs-sample.csv');

type Row = {
  tweet_id: string;
  author_id: string;
  inbound: string;
  created_at: string;
  in_response_to_tweet_id: string;
};
const id = (v: string) => v.trim().replace(/\.0+$/, '');

/**
 * The expected figures, counted straight from the CSV: a customer tweet is responded when a brand
 * tweet of the same reply chain was written at or after it (a direct reply always is); its
 * response time is the earliest such brand tweet. Chains are the file's in_response_to links.
 * Volumes are counted over the imported rows (`imported`).
 */
function countFromFile(imported: Set<string>) {
  const rows = parse(readFileSync(FILE), {
    columns: true,
    skip_empty_lines: true,
    relax_quotes: true,
    relax_column_count: true,
  }) as Row[];
  const tweets = rows.map((r) => ({
    id: id(r.tweet_id),
    brand: r.inbound.trim() === 'False',
    at: Date.parse(r.created_at),
    parent: id(r.in_response_to_tweet_id ?? ''),
  }));
  const byId = new Map(tweets.map((t) => [t.id, t]));
  const root = (t: (typeof tweets)[number]): string => {
    let cur = t;
    const seen = new Set<string>();
    while (cur.parent && byId.has(cur.parent) && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.parent)!;
    }
    return cur.id;
  };
  const chains = new Map<string, typeof tweets>();
  for (const t of tweets) {
    const r = root(t);
    chains.set(r, [...(chains.get(r) ?? []), t]);
  }
  const times: number[] = [];
  for (const chain of chains.values()) {
    for (const c of chain.filter((t) => !t.brand)) {
      const answers = chain
        .filter((b) => b.brand && (b.at >= c.at || b.parent === c.id))
        .map((b) => Math.max(0, (b.at - c.at) / 1000));
      if (answers.length) times.push(Math.min(...answers));
    }
  }
  return {
    inbound: tweets.filter((t) => !t.brand && imported.has(t.id)).length,
    outbound: tweets.filter((t) => t.brand && imported.has(t.id)).length,
    responded: times.length,
    times,
    from: new Date(Math.min(...tweets.map((t) => t.at))),
    to: new Date(Math.max(...tweets.map((t) => t.at)) + 3_600_000),
  };
}

/**
 * The rows to import: every row of a reply chain inside the file (all that can be responded or
 * be a response), and every 40th row for volume. Isolated rows only add to inbound/outbound, so
 * the responded figures are those of the whole file.
 */
async function selectRows(): Promise<Set<string>> {
  const all: NormalisedPost[] = [];
  await importTwcs(FILE, async (posts) => {
    all.push(...posts);
    return posts.map((p) => ({ externalId: p.externalId, outcome: 'stored' as const }));
  });
  const ids = new Set(all.map((p) => p.externalId));
  const keep = new Set<string>();
  all.forEach((p, i) => {
    if (i % 40 === 0) keep.add(p.externalId);
    if (p.inReplyTo && ids.has(p.inReplyTo)) {
      keep.add(p.externalId);
      keep.add(p.inReplyTo);
    }
  });
  return keep;
}

describe.each(drivers)('imported twcs history counts in the summary on %s', (driver) => {
  let t: TestApp;
  let auth: { authorization: string };
  let imported: Set<string>;

  beforeAll(async () => {
    if (!existsSync(FILE))
      throw new Error(
        `Shared test data missing: ${FILE} (the data folder sits beside the repository at ../shared/data)`,
      );
    imported = await selectRows();
    t = await createTestApp(driver, { scheduler: false });
    auth = { authorization: `Bearer ${(await t.tokenFor('viewer')).token}` };
    const summary = await importTwcs(FILE, async (posts) => {
      const chosen = posts.filter((p) => imported.has(p.externalId));
      return chosen.length ? ingestPosts(t.ctx, chosen, { keepAll: true }) : [];
    });
    expect(summary.imported).toBe(imported.size);
    await t.idle();
  }, 600_000);
  afterAll(async () => {
    await t?.close();
  });

  it('responded and response times agree with a direct count over the file', async () => {
    const expected = countFromFile(imported);
    expect(expected.responded).toBeGreaterThan(0);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/analytics/summary?from=${expected.from.toISOString()}&to=${expected.to.toISOString()}`,
      headers: auth,
    });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json().totals;
    expect(s).toMatchObject({
      inbound: expected.inbound,
      outbound: expected.outbound,
      addressedToBrand: expected.inbound,
      responded: expected.responded,
    });
    expect(s.responseRate).toBeCloseTo(expected.responded / expected.inbound, 10);
    for (const [q, key] of [
      [0.5, 'median'],
      [0.9, 'p90'],
    ] as const) {
      const exact = exactQuantile(expected.times, q)!;
      expect(
        Math.abs(s.firstResponseSeconds[key] - exact),
        `${key}: ${s.firstResponseSeconds[key]} vs ${exact}`,
      ).toBeLessThanOrEqual(Math.max(5, exact * 0.01));
    }
  });
});
