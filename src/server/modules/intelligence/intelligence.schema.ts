import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from '../../platform/db/columns.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { users } from '../users/users.schema.ts';

export type TriageTask = 'sentiment' | 'intent' | 'actionable';

/** A trained triage model, versioned. One active model per task, chosen by an admin. */
export const models = pgTable(
  'models',
  {
    id: id(),
    task: text('task').$type<TriageTask>().notNull(),
    name: text('name').notNull(),
    algorithm: text('algorithm').notNull(),
    labels: text('labels').array().notNull(),
    /** Serialised weights. */
    weights: bytea('weights').notNull(),
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    trainedOn: jsonb('trained_on').$type<{ examples: number; source: string }>().notNull(),
    active: boolean('active').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('models_task_idx').on(t.task, t.createdAt),
    // at most one active model per task, even with two admins activating at once
    uniqueIndex('models_active_task_uq').on(t.task).where(sql`active`),
  ],
);

/** Labelled examples learned from the team's decisions (replied, dismissed, corrected). */
export const trainingExamples = pgTable(
  'training_examples',
  {
    id: id(),
    task: text('task').$type<TriageTask>().notNull(),
    text: text('text').notNull(),
    label: text('label').notNull(),
    source: text('source').notNull(),
    postId: uuid('post_id').references(() => posts.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    index('training_examples_task_idx').on(t.task, t.createdAt),
    // one example per post, task and kind of decision: a later decision replaces the earlier one
    uniqueIndex('training_examples_post_uq').on(t.task, t.postId, t.source),
  ],
);
