import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import { QueryMatcher } from '../listening/index.ts';
import { getBrand, isBrandHandle } from '../people/brand.ts';
import { resolvePerson } from '../people/resolve-person.ts';
import type { DrawingRules } from './campaigns.schema.ts';
import { canonicalEntrants } from './drawing-algorithm.ts';

export type DrawingSpec = {
  query: string | null;
  topicId: string | null;
  windowStart: Date;
  windowEnd: Date;
  rules: DrawingRules;
};

export type Entrant = { entrantKey: string; personId: string; postId: string; label: string };
export type Exclusions = {
  brand: number;
  optedOut: number;
  doNotContact: number;
  employee: number;
  accountAge: number;
};

type Candidate = {
  id: string;
  created_at: string | Date;
  channel: string;
  text: string;
  title: string | null;
  lang: string | null;
  url: string | null;
  links: string[] | string | null;
  identity_id: string;
  external_id: string;
  handle: string;
  email: string | null;
  person_id: string | null;
  first_seen_at: string | Date;
  account_created: string | null;
};

const PAGE = 5000;
const arr = (v: string[] | string | null): string[] =>
  !v
    ? []
    : Array.isArray(v)
      ? v
      : v
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean);

/**
 * The entrants of a drawing: people who posted in the window a post that matches the drawing's
 * query (the listening engine's matcher) or was matched to its topic — one entry per person
 * across all their identities (merged people count once). Excluded: brand accounts, employees
 * (identity e-mail of an Earshot user, or a listed handle), opted-out and do-not-contact people,
 * and identities younger than the minimum account age. Reposts do not qualify. Returned in the
 * canonical order of their entrant keys (the person ids).
 */
export async function selectEntrants(
  db: Db,
  d: DrawingSpec,
): Promise<{ entrants: Entrant[]; excluded: Exclusions }> {
  const matcher = d.query ? new QueryMatcher() : null;
  matcher?.add('drawing', d.query!);
  const candidates: Candidate[] = [];
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page: Candidate[] = await queryRows<Candidate>(
      db,
      sql`SELECT p.id, p.created_at, p.channel, p.text, p.title, p.lang, p.url, p.links,
                 i.id AS identity_id, i.external_id, i.handle, i.email, i.person_id, i.created_at AS first_seen_at,
                 i.profile->>'createdAt' AS account_created
          FROM posts p JOIN identities i ON i.id = p.identity_id
          WHERE p.direction = 'inbound' AND NOT p.is_repost
            AND p.created_at >= ${d.windowStart} AND p.created_at < ${d.windowEnd}
            ${d.topicId ? sql`AND p.topic_ids @> ARRAY[${d.topicId}]::uuid[]` : sql``}
            ${after ? sql`AND (p.created_at, p.id) > (${after.at}, ${after.id})` : sql``}
          ORDER BY p.created_at, p.id LIMIT ${PAGE}`,
    );
    for (const c of page) {
      if (
        !matcher ||
        matcher.match(
          {
            text: c.text,
            title: c.title ?? undefined,
            channel: c.channel,
            author: { handle: c.handle, externalId: c.external_id },
            lang: c.lang ?? undefined,
            url: c.url ?? undefined,
            links: arr(c.links),
          },
          { highlights: false },
        ).length
      ) {
        candidates.push(c);
      }
    }
    if (page.length < PAGE) break;
    const last = page[page.length - 1]!;
    after = { at: new Date(last.created_at), id: last.id };
  }

  // Identities not yet tied to a person (a post still in the pipeline) get one now.
  for (const c of candidates) if (!c.person_id) c.person_id = await resolvePerson(db, c.identity_id);
  const roots = await rootPeople(db, [...new Set(candidates.map((c) => c.person_id!))]);

  const brand = await getBrand(db);
  const employeeEmails = new Set(
    (rules(d).excludeEmployees
      ? await queryRows<{ email: string }>(db, sql`SELECT lower(email) AS email FROM users`)
      : []
    ).map((u) => u.email),
  );
  const excludedHandles = new Set(
    (d.rules.excludeHandles ?? []).map((h) => h.replace(/^@/, '').toLowerCase()),
  );
  const dnc = await queryRows<{ person_id: string | null; channel: string | null; handle: string | null }>(
    db,
    sql`SELECT person_id, channel, lower(handle) AS handle FROM do_not_contact`,
  );
  const dncPeople = new Set(dnc.filter((n) => n.person_id).map((n) => n.person_id!));
  const minAgeMs = (d.rules.minAccountAgeDays ?? 0) * 86_400_000;

  type Verdict = keyof Exclusions | null;
  const verdictOf = (c: Candidate, root: { id: string; optedOut: boolean; dnc: boolean }): Verdict => {
    const handle = c.handle.replace(/^@/, '').toLowerCase();
    if (isBrandHandle(brand, c.handle)) return 'brand';
    if ((c.email && employeeEmails.has(c.email.toLowerCase())) || excludedHandles.has(handle))
      return 'employee';
    if (root.optedOut) return 'optedOut';
    if (
      root.dnc ||
      dncPeople.has(root.id) ||
      dncPeople.has(c.person_id!) ||
      dnc.some((n) => n.handle === handle && (!n.channel || n.channel === c.channel))
    ) {
      return 'doNotContact';
    }
    if (minAgeMs > 0) {
      const born =
        c.account_created && !Number.isNaN(Date.parse(c.account_created))
          ? new Date(c.account_created)
          : new Date(c.first_seen_at);
      if (d.windowEnd.getTime() - born.getTime() < minAgeMs) return 'accountAge';
    }
    return null;
  };

  // A person is out when any of their qualifying identities is out (a brand or staff account, a blocked handle).
  const byPerson = new Map<string, { posts: Candidate[]; out: Verdict }>();
  for (const c of candidates) {
    const root = roots.get(c.person_id!)!;
    let e = byPerson.get(root.id);
    if (!e) {
      e = { posts: [], out: null };
      byPerson.set(root.id, e);
    }
    e.posts.push(c);
    e.out ??= verdictOf(c, root);
  }
  const excluded: Exclusions = { brand: 0, optedOut: 0, doNotContact: 0, employee: 0, accountAge: 0 };
  const entrants: Entrant[] = [];
  for (const [personId, e] of byPerson) {
    if (e.out) {
      excluded[e.out]++;
      continue;
    }
    const first = e.posts[0]!;
    const handles = [...new Set(e.posts.map((p) => `${p.channel}:${p.handle}`))].sort();
    entrants.push({ entrantKey: personId, personId, postId: first.id, label: handles.join(' ') });
  }
  const order = canonicalEntrants(entrants.map((e) => e.entrantKey));
  const byKey = new Map(entrants.map((e) => [e.entrantKey, e]));
  return { entrants: order.map((k) => byKey.get(k)!), excluded };
}

const rules = (d: DrawingSpec) => ({ excludeEmployees: d.rules.excludeEmployees ?? true });

/** Each person's root after merges (`merged_into_id` chains), with the root's opt-out and do-not-contact flags. */
async function rootPeople(db: Db, ids: string[]) {
  type P = {
    id: string;
    merged_into_id: string | null;
    do_not_contact: boolean;
    opted_out_at: string | Date | null;
  };
  const known = new Map<string, P>();
  let want = ids;
  while (want.length) {
    const rows: P[] = [];
    for (let i = 0; i < want.length; i += 1000) {
      const chunk = want.slice(i, i + 1000);
      rows.push(
        ...(await queryRows<P>(
          db,
          sql`SELECT id, merged_into_id, do_not_contact, opted_out_at FROM people WHERE id IN (${sql.join(
            chunk.map((id) => sql`${id}`),
            sql`, `,
          )})`,
        )),
      );
    }
    for (const r of rows) known.set(r.id, r);
    want = [...new Set(rows.map((r) => r.merged_into_id).filter((m): m is string => !!m && !known.has(m)))];
  }
  const out = new Map<string, { id: string; optedOut: boolean; dnc: boolean }>();
  for (const id of ids) {
    let p = known.get(id);
    const seen = new Set<string>();
    while (p?.merged_into_id && known.has(p.merged_into_id) && !seen.has(p.id)) {
      seen.add(p.id);
      p = known.get(p.merged_into_id);
    }
    const root = p ?? { id, merged_into_id: null, do_not_contact: false, opted_out_at: null };
    out.set(id, { id: root.id, optedOut: root.opted_out_at !== null, dnc: root.do_not_contact });
  }
  return out;
}
