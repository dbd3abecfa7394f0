import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../platform/db/client.ts';
import { cases } from '../cases/cases.schema.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { type ExampleSource, recordTrainingExample } from './record-training-example.ts';

function postText(p: { title: string | null; text: string; channel: string }): string {
  return p.title && p.channel !== 'x' ? `${p.title}\n${p.text}` : p.text;
}

/**
 * Records what the team decided about a case as `actionable` examples for the customer's latest
 * post in it: replied → true; closed or resolved without any reply → false.
 */
export async function learnFromCase(
  db: Db,
  caseId: string,
  decision: 'replied' | 'closed',
): Promise<boolean> {
  const [c] = await db
    .select({ status: cases.status, firstResponseAt: cases.firstResponseAt })
    .from(cases)
    .where(eq(cases.id, caseId));
  if (!c) return false;
  let label: string;
  let source: ExampleSource;
  if (decision === 'replied') {
    label = 'true';
    source = 'replied';
  } else {
    if ((c.status !== 'closed' && c.status !== 'resolved') || c.firstResponseAt) return false;
    label = 'false';
    source = 'closed_without_reply';
  }
  const [post] = await db
    .select({ id: posts.id, title: posts.title, text: posts.text, channel: posts.channel })
    .from(posts)
    .where(and(eq(posts.caseId, caseId), eq(posts.direction, 'inbound')))
    .orderBy(desc(posts.createdAt))
    .limit(1);
  if (!post) return false;
  await recordTrainingExample(db, {
    task: 'actionable',
    text: postText(post),
    label,
    source,
    postId: post.id,
  });
  return true;
}

/** A listening match an agent dismissed as not relevant: a `false` example for `actionable`. */
export async function learnFromDismissal(
  db: Db,
  postId: string,
  userId: string | null = null,
): Promise<boolean> {
  const [post] = await db
    .select({ id: posts.id, title: posts.title, text: posts.text, channel: posts.channel })
    .from(posts)
    .where(eq(posts.id, postId));
  if (!post) return false;
  await recordTrainingExample(db, {
    task: 'actionable',
    text: postText(post),
    label: 'false',
    source: 'dismissed',
    postId,
    createdBy: userId,
  });
  return true;
}

/**
 * Subscribes to the team's decisions on the bus (`reply.sent`, `case.status_changed`) and turns
 * them into training examples, so a manager can retrain from what the team actually does.
 */
export async function startTriageLearning(ctx: AppContext): Promise<void> {
  await ctx.bus.subscribe('reply.sent', 'triage-learning', async (data) => {
    const { caseId } = data as { caseId?: string | null };
    if (caseId) await learnFromCase(ctx.db, caseId, 'replied');
  });
  await ctx.bus.subscribe('case.status_changed', 'triage-learning', async (data) => {
    const { caseId } = data as { caseId?: string };
    if (caseId) await learnFromCase(ctx.db, caseId, 'closed');
  });
}
