import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { users } from '../users/users.schema.ts';

export type TopicFilters = {
  dropReposts?: boolean;
  excludeBrandAccounts?: boolean;
  excludedAuthors?: string[];
  minLength?: number;
  languages?: string[];
};

/** A named listening definition: include queries, exclude queries, and noise filters. */
export const topics = pgTable('topics', {
  id: id(),
  name: text('name').notNull(),
  /** The main query in the boolean query language. */
  query: text('query').notNull(),
  /** Further include queries (OR-ed with `query`). */
  includes: text('includes').array().notNull().default([]),
  /** Exclude queries: a post matching any of them is not a match of this topic. */
  excludes: text('excludes').array().notNull().default([]),
  filters: jsonb('filters').$type<TopicFilters>().notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
});

/** Which stored post matched which topic, and the agents' relevance verdicts (precision loop). */
export const topicMatches = pgTable(
  'topic_matches',
  {
    topicId: uuid('topic_id')
      .notNull()
      .references(() => topics.id, { onDelete: 'cascade' }),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    matchedAt: tstz('matched_at').notNull().defaultNow(),
    dismissedAt: tstz('dismissed_at'),
    dismissedBy: uuid('dismissed_by').references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.topicId, t.postId] }),
    index('topic_matches_time_idx').on(t.topicId, t.matchedAt),
  ],
);
