import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { queryRows } from '../../platform/db/client.ts';
import type { posts } from '../conversations/conversations.schema.ts';
import { businessSecondsBetween, type Calendar } from '../routing/business-hours.ts';
import { countExchange, ROUND_THE_CLOCK } from './count-case.ts';
import { countOnce, type RollupDelta } from './update-rollups.ts';

/** The inbound post as response detection needs it. */
export type InboundPost = Pick<
  typeof posts.$inferSelect,
  'id' | 'channel' | 'externalId' | 'conversationId' | 'caseId' | 'createdAt' | 'toBrand' | 'topicIds'
>;
export type BrandResponse = { at: Date; ref: string };

/**
 * The first brand response to a customer post: a brand post replying to it directly, the first
 * brand post after it in its conversation, or the first reply sent from its case, whichever came
 * first. One statement over indexed neighbours of the post, never a table scan.
 */
export async function firstResponseTo(db: Db, p: InboundPost): Promise<BrandResponse | null> {
  const parts = [
    sql`(SELECT 'post:' || id AS ref, created_at AS at FROM posts
         WHERE channel = ${p.channel} AND in_reply_to = ${p.externalId} AND direction = 'outbound' ORDER BY created_at LIMIT 1)`,
  ];
  if (p.conversationId) {
    parts.push(sql`(SELECT 'post:' || id, created_at FROM posts
         WHERE conversation_id = ${p.conversationId} AND created_at >= ${p.createdAt} AND direction = 'outbound' ORDER BY created_at LIMIT 1)`);
  }
  if (p.caseId) {
    parts.push(sql`(SELECT 'outbox:' || id, sent_at FROM outbox
         WHERE case_id = ${p.caseId} AND status = 'sent' AND sent_at >= ${p.createdAt} ORDER BY sent_at LIMIT 1)`);
  }
  const [r] = await queryRows<{ ref: string; at: string | Date }>(
    db,
    sql`SELECT ref, at FROM (${sql.join(parts, sql` UNION ALL `)}) r ORDER BY at, ref LIMIT 1`,
  );
  return r ? { ref: r.ref, at: new Date(r.at) } : null;
}

type OutboundRef = {
  channel: string;
  inReplyTo: string | null;
  conversationId: string | null;
  caseId: string | null;
  createdAt: Date;
};

/** Customer posts a brand post may answer: the one it replies to, earlier ones in its conversation or case. */
export async function postsAnsweredByPost(db: Db, o: OutboundRef): Promise<InboundPost[]> {
  const conds = [];
  if (o.inReplyTo) conds.push(sql`(p.channel = ${o.channel} AND p.external_id = ${o.inReplyTo})`);
  if (o.conversationId)
    conds.push(sql`(p.conversation_id = ${o.conversationId} AND p.created_at <= ${o.createdAt})`);
  if (o.caseId) conds.push(sql`(p.case_id = ${o.caseId} AND p.created_at <= ${o.createdAt})`);
  if (!conds.length) return [];
  return unanswered(db, sql.join(conds, sql` OR `));
}

/** Customer posts on a case written before a reply sent from it. */
export function postsAnsweredByReply(db: Db, caseId: string, sentAt: Date): Promise<InboundPost[]> {
  return unanswered(db, sql`p.case_id = ${caseId} AND p.created_at <= ${sentAt}`);
}

async function unanswered(db: Db, where: ReturnType<typeof sql>): Promise<InboundPost[]> {
  const rows = await queryRows<{
    id: string;
    channel: string;
    external_id: string;
    conversation_id: string | null;
    case_id: string | null;
    created_at: string | Date;
    to_brand: boolean;
    topic_ids: string[] | string;
  }>(
    db,
    sql`SELECT p.id, p.channel, p.external_id, p.conversation_id, p.case_id, p.created_at, p.to_brand, p.topic_ids
        FROM posts p
        WHERE p.direction = 'inbound' AND (${where})
          AND NOT EXISTS (SELECT 1 FROM analytics_counted ac WHERE ac.kind = 'responded' AND ac.ref = p.id::text)
        LIMIT 1000`,
  );
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    externalId: r.external_id,
    conversationId: r.conversation_id,
    caseId: r.case_id,
    createdAt: new Date(r.created_at),
    toBrand: r.to_brand,
    topicIds: Array.isArray(r.topic_ids)
      ? r.topic_ids
      : r.topic_ids
          .replace(/^\{|\}$/g, '')
          .split(',')
          .filter(Boolean),
  }));
}

/**
 * Counts a customer post as responded (once), with its first-response time in business hours of
 * the case's queue calendar (wall-clock time where no calendar applies), in the hour the customer
 * wrote. The post an outreach case started from counts as `outreachReplied` instead: reaching out
 * first is not answering. The response is also an exchange of the post's case.
 */
export async function countResponded(db: Db, p: InboundPost, r: BrandResponse): Promise<void> {
  const [c] = p.caseId
    ? await queryRows<{ calendar: Calendar | null; origin: boolean }>(
        db,
        sql`SELECT t.calendar, (c.is_outreach AND EXISTS (SELECT 1 FROM outreach_contacts oc WHERE oc.post_id = ${p.id})) AS origin
            FROM cases c LEFT JOIN teams t ON t.id = c.team_id WHERE c.id = ${p.caseId}`,
      )
    : [];
  const delta: RollupDelta = c?.origin
    ? { at: p.createdAt, channel: p.channel, topicIds: p.topicIds, counts: { outreachReplied: 1 } }
    : {
        at: p.createdAt,
        channel: p.channel,
        topicIds: p.topicIds,
        counts: p.toBrand ? { responded: 1, respondedAddressed: 1 } : { responded: 1 },
        responseSeconds: businessSecondsBetween(p.createdAt, r.at, c?.calendar ?? ROUND_THE_CLOCK),
      };
  if (!p.caseId) {
    await countOnce(db, 'responded', p.id, [delta]);
    return;
  }
  const caseId = p.caseId;
  await db.transaction(async (tx) => {
    // Case facts before rollups, the order every writer takes, so two writers never deadlock.
    await tx.execute(sql`SELECT 1 FROM analytics_case_facts WHERE case_id = ${caseId} FOR UPDATE`);
    if (await countOnce(tx, 'responded', p.id, [delta])) await countExchange(tx, caseId, r.ref);
  });
}
