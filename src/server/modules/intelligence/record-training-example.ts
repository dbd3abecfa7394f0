import { and, eq, sql } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { type TriageTask, trainingExamples } from './intelligence.schema.ts';

/** Where a labelled example came from: an agent's correction or a decision the team made. */
export type ExampleSource = 'correction' | 'replied' | 'dismissed' | 'closed_without_reply' | 'import';

export type ExampleInput = {
  task: TriageTask;
  text: string;
  label: string;
  source: ExampleSource;
  postId?: string | null;
  createdBy?: string | null;
};

/**
 * Stores a labelled example. With a post, one example per (task, post, source): a later
 * decision of the same kind replaces the earlier one, so retraining sees the latest word.
 */
export async function recordTrainingExample(db: Db, input: ExampleInput): Promise<void> {
  const values = {
    task: input.task,
    text: input.text,
    label: input.label,
    source: input.source,
    postId: input.postId ?? null,
    createdBy: input.createdBy ?? null,
  };
  if (!values.postId) {
    await db.insert(trainingExamples).values(values);
    return;
  }
  await db
    .insert(trainingExamples)
    .values(values)
    .onConflictDoUpdate({
      target: [trainingExamples.task, trainingExamples.postId, trainingExamples.source],
      set: { label: values.label, text: values.text, createdBy: values.createdBy, createdAt: sql`now()` },
    });
}

export type LabelCorrection = {
  sentiment?: 'negative' | 'neutral' | 'positive';
  intent?: string;
  actionable?: boolean;
};

/**
 * An agent corrects a post's triage signals: the post shows the corrected values at once, each
 * correction becomes a training example for the next retrain, and the change is audited.
 */
export async function correctPostLabels(
  db: Db,
  postId: string,
  correction: LabelCorrection,
  actor: Actor,
): Promise<typeof posts.$inferSelect> {
  const entries = Object.entries(correction).filter(([, v]) => v !== undefined) as [TriageTask, unknown][];
  if (entries.length === 0) throw badRequest('Give at least one of sentiment, intent, actionable');
  return db.transaction(async (tx) => {
    const [post] = await tx.select().from(posts).where(eq(posts.id, postId));
    if (!post) throw notFound('Post');
    const previous = { sentiment: post.sentiment, intent: post.intent, actionable: post.actionable };
    const [updated] = await tx
      .update(posts)
      .set({
        ...correction,
        signals: sql`${posts.signals} || ${JSON.stringify({ correctedBy: actor.label, corrected: Object.fromEntries(entries) })}::jsonb`,
      })
      .where(eq(posts.id, postId))
      .returning();
    const text = post.title && post.channel !== 'x' ? `${post.title}\n${post.text}` : post.text;
    for (const [task, value] of entries) {
      await recordTrainingExample(tx, {
        task,
        text,
        label: String(value),
        source: 'correction',
        postId,
        createdBy: actor.userId,
      });
    }
    await audit(tx, actor, 'post.labels_corrected', { type: 'post', id: postId }, { previous, correction });
    return updated!;
  });
}

/** How many examples each task has, by label: what a manager sees before retraining. */
export async function countTrainingExamples(db: Db): Promise<Record<string, Record<string, number>>> {
  const rows = await db
    .select({ task: trainingExamples.task, label: trainingExamples.label, n: sql<number>`count(*)::int` })
    .from(trainingExamples)
    .groupBy(trainingExamples.task, trainingExamples.label);
  const out: Record<string, Record<string, number>> = {};
  for (const r of rows) {
    const byLabel = out[r.task] ?? {};
    byLabel[r.label] = Number(r.n);
    out[r.task] = byLabel;
  }
  return out;
}

/** The examples of one task, newest decision per post and task (a correction beats a decision). */
export async function loadTrainingExamples(
  db: Db,
  task: TriageTask,
): Promise<{ text: string; label: string }[]> {
  const rows = await db
    .select({
      text: trainingExamples.text,
      label: trainingExamples.label,
      postId: trainingExamples.postId,
      source: trainingExamples.source,
    })
    .from(trainingExamples)
    .where(and(eq(trainingExamples.task, task)))
    .orderBy(trainingExamples.createdAt);
  const byPost = new Map<string, { text: string; label: string; source: string }>();
  const loose: { text: string; label: string }[] = [];
  for (const r of rows) {
    if (!r.postId) {
      loose.push({ text: r.text, label: r.label });
      continue;
    }
    const seen = byPost.get(r.postId);
    if (seen?.source === 'correction' && r.source !== 'correction') continue;
    byPost.set(r.postId, r);
  }
  return [...loose, ...[...byPost.values()].map(({ text, label }) => ({ text, label }))];
}
