import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { outreachContacts } from '../campaigns/campaigns.schema.ts';
import { slaOf } from '../cases/case-sla.ts';
import { cases } from '../cases/cases.schema.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { outbox } from '../responses/responses.schema.ts';
import { businessSecondsBetween } from '../routing/business-hours.ts';
import { countExchange } from './count-case.ts';
import { addToRollups, markCounted } from './update-rollups.ts';

/** The inbound post as response detection needs it. */
export type InboundPost = Pick<
  typeof posts.$inferSelect,
  'id' | 'channel' | 'externalId' | 'conversationId' | 'caseId' | 'createdAt' | 'toBrand' | 'topicIds'
>;
export type BrandResponse = { at: Date; ref: string };

const inboundColumns = {
  id: posts.id,
  channel: posts.channel,
  externalId: posts.externalId,
  conversationId: posts.conversationId,
  caseId: posts.caseId,
  createdAt: posts.createdAt,
  toBrand: posts.toBrand,
  topicIds: posts.topicIds,
};

/**
 * The first brand response to a customer post: a brand post replying to it directly, the first
 * brand post after it in its conversation, or the first reply sent from its case, whichever came
 * first. Reads only indexed neighbours of the post, never a table scan.
 */
export async function firstResponseTo(db: Db, p: InboundPost): Promise<BrandResponse | null> {
  const found: BrandResponse[] = [];
  const [direct] = await db
    .select({ id: posts.id, at: posts.createdAt })
    .from(posts)
    .where(
      and(eq(posts.channel, p.channel), eq(posts.inReplyTo, p.externalId), eq(posts.direction, 'outbound')),
    )
    .orderBy(asc(posts.createdAt))
    .limit(1);
  if (direct) found.push({ at: direct.at, ref: `post:${direct.id}` });
  if (p.conversationId) {
    const [next] = await db
      .select({ id: posts.id, at: posts.createdAt })
      .from(posts)
      .where(
        and(
          eq(posts.conversationId, p.conversationId),
          gte(posts.createdAt, p.createdAt),
          eq(posts.direction, 'outbound'),
        ),
      )
      .orderBy(asc(posts.createdAt))
      .limit(1);
    if (next) found.push({ at: next.at, ref: `post:${next.id}` });
  }
  if (p.caseId) {
    const [sent] = await db
      .select({ id: outbox.id, at: outbox.sentAt })
      .from(outbox)
      .where(and(eq(outbox.caseId, p.caseId), eq(outbox.status, 'sent'), gte(outbox.sentAt, p.createdAt)))
      .orderBy(asc(outbox.sentAt))
      .limit(1);
    if (sent?.at) found.push({ at: sent.at, ref: `outbox:${sent.id}` });
  }
  found.sort((a, b) => a.at.getTime() - b.at.getTime());
  return found[0] ?? null;
}

/** Customer posts a brand post may answer: the one it replies to, earlier ones in its conversation or case. */
export async function postsAnsweredByPost(
  db: Db,
  o: {
    channel: string;
    inReplyTo: string | null;
    conversationId: string | null;
    caseId: string | null;
    createdAt: Date;
  },
): Promise<InboundPost[]> {
  const conds = [];
  if (o.inReplyTo)
    conds.push(sql`(${posts.channel} = ${o.channel} AND ${posts.externalId} = ${o.inReplyTo})`);
  if (o.conversationId)
    conds.push(sql`(${posts.conversationId} = ${o.conversationId} AND ${posts.createdAt} <= ${o.createdAt})`);
  if (o.caseId) conds.push(sql`(${posts.caseId} = ${o.caseId} AND ${posts.createdAt} <= ${o.createdAt})`);
  if (!conds.length) return [];
  return unanswered(db, sql.join(conds, sql` OR `));
}

/** Customer posts on a case written before a reply sent from it. */
export function postsAnsweredByReply(db: Db, caseId: string, sentAt: Date): Promise<InboundPost[]> {
  return unanswered(db, and(eq(posts.caseId, caseId), lte(posts.createdAt, sentAt))!);
}

async function unanswered(db: Db, where: ReturnType<typeof sql>): Promise<InboundPost[]> {
  return db
    .select(inboundColumns)
    .from(posts)
    .where(
      and(
        eq(posts.direction, 'inbound'),
        sql`(${where})`,
        sql`NOT EXISTS (SELECT 1 FROM analytics_counted ac WHERE ac.kind = 'responded' AND ac.ref = ${posts.id}::text)`,
      ),
    )
    .limit(1000);
}

/**
 * Counts a customer post as responded (once), with its first-response time in business hours of
 * the case's queue calendar (wall-clock time where no calendar applies), in the hour the customer
 * wrote. The post an outreach case started from counts as `outreachReplied` instead: reaching out
 * first is not answering. The response is also an exchange of the post's case.
 */
export async function countResponded(db: Db, p: InboundPost, r: BrandResponse): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await markCounted(tx, 'responded', p.id))) return;
    const [c] = p.caseId
      ? await tx
          .select({ teamId: cases.teamId, isOutreach: cases.isOutreach })
          .from(cases)
          .where(eq(cases.id, p.caseId))
      : [];
    const [origin] = c?.isOutreach
      ? await tx
          .select({ id: outreachContacts.id })
          .from(outreachContacts)
          .where(eq(outreachContacts.postId, p.id))
          .limit(1)
      : [];
    if (origin) {
      await addToRollups(tx, [
        { at: p.createdAt, channel: p.channel, topicIds: p.topicIds, counts: { outreachReplied: 1 } },
      ]);
    } else {
      const { calendar } = await slaOf(tx, c?.teamId ?? null);
      const seconds = businessSecondsBetween(p.createdAt, r.at, calendar);
      await addToRollups(tx, [
        {
          at: p.createdAt,
          channel: p.channel,
          topicIds: p.topicIds,
          counts: p.toBrand ? { responded: 1, respondedAddressed: 1 } : { responded: 1 },
          responseSeconds: seconds,
        },
      ]);
    }
    if (p.caseId) await countExchange(tx, p.caseId, r.ref);
  });
}
