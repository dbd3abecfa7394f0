import { and, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { badRequest } from '../../platform/errors.ts';
import { identities, people } from '../people/people.schema.ts';
import { teams, users } from '../users/users.schema.ts';
import { type CaseStatus, cases } from './cases.schema.ts';

export type CaseFilter = {
  status?: CaseStatus[] | undefined;
  queue?: string | undefined;
  assignee?: string | undefined;
  q?: string | undefined;
  channel?: string | undefined;
  topic?: string | undefined;
  intent?: string | undefined;
  sentiment?: string | undefined;
  incidentId?: string | undefined;
  handedOverBy?: string | undefined;
  /** Cases this user handed over or owns (a contributor's "my items"). */
  involving?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
};

type Cursor = [number, string, string, string];
const INFINITY = 'infinity';

/** The order an agent should work: service recovery first, then next SLA deadline, then arrival. */
export const queueOrder = sql`${cases.priorityRank} ASC, coalesce(${cases.dueAt}, 'infinity'::timestamptz) ASC, ${cases.createdAt} ASC, ${cases.id} ASC`;

/** The inbox: filtered, in queue order, keyset-paginated (`nextCursor`). */
export async function listCases(db: Db, f: CaseFilter, me: { id: string }) {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const where: SQL[] = [];
  where.push(inArray(cases.status, f.status?.length ? f.status : ['new', 'open', 'pending']));
  where.push(isNull(cases.mergedIntoId));
  if (f.queue) {
    const isUuid = /^[0-9a-f-]{36}$/i.test(f.queue);
    where.push(
      isUuid
        ? eq(cases.teamId, f.queue)
        : sql`${cases.teamId} IN (SELECT id FROM teams WHERE lower(name) = lower(${f.queue}))`,
    );
  }
  if (f.assignee === 'me') where.push(eq(cases.assigneeId, me.id));
  else if (f.assignee === 'none') where.push(isNull(cases.assigneeId));
  else if (f.assignee) where.push(eq(cases.assigneeId, f.assignee));
  if (f.channel) where.push(eq(cases.channel, f.channel));
  if (f.intent) where.push(eq(cases.intent, f.intent));
  if (f.sentiment) where.push(eq(cases.sentiment, f.sentiment));
  if (f.topic) where.push(sql`${f.topic}::uuid = ANY(${cases.topicIds})`);
  if (f.incidentId) where.push(eq(cases.incidentId, f.incidentId));
  if (f.handedOverBy) where.push(eq(cases.handedOverBy, f.handedOverBy));
  if (f.involving)
    where.push(
      sql`(${cases.handedOverBy} = ${f.involving}::uuid OR ${cases.assigneeId} = ${f.involving}::uuid)`,
    );
  if (f.q?.trim()) {
    where.push(
      sql`(${cases.search} @@ plainto_tsquery('simple', ${f.q}) OR ${cases.id} IN (SELECT case_id FROM posts WHERE case_id IS NOT NULL AND search @@ plainto_tsquery('simple', ${f.q})))`,
    );
  }
  if (f.cursor) {
    let c: Cursor;
    try {
      c = JSON.parse(Buffer.from(f.cursor, 'base64url').toString('utf8')) as Cursor;
      if (!Array.isArray(c) || c.length !== 4) throw new Error('shape');
    } catch {
      throw badRequest(
        'Invalid cursor: pass back the nextCursor of the previous page',
        undefined,
        'invalid_cursor',
      );
    }
    where.push(
      sql`(${cases.priorityRank}, coalesce(${cases.dueAt}, 'infinity'::timestamptz), ${cases.createdAt}, ${cases.id}) > (${c[0]}, ${c[1]}::timestamptz, ${c[2]}::timestamptz, ${c[3]}::uuid)`,
    );
  }
  const rows = await db
    .select({
      c: cases,
      team: teams.name,
      assignee: users.name,
      handle: identities.handle,
      personName: people.displayName,
    })
    .from(cases)
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .leftJoin(people, eq(people.id, cases.personId))
    .leftJoin(
      identities,
      sql`${identities.id} = (SELECT identity_id FROM posts WHERE posts.case_id = ${cases.id} AND posts.direction = 'inbound' ORDER BY posts.created_at DESC LIMIT 1)`,
    )
    .where(and(...where))
    .orderBy(queueOrder)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1]?.c;
  const nextCursor =
    rows.length > limit && last
      ? Buffer.from(
          JSON.stringify([
            last.priorityRank,
            last.dueAt?.toISOString() ?? INFINITY,
            last.createdAt.toISOString(),
            last.id,
          ]),
        ).toString('base64url')
      : null;
  return { rows: page, nextCursor };
}
