import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';

/**
 * Hourly rollups per channel (and topic, '' for all), updated as events happen so reports never
 * scan raw tables. `counts` holds named counters; `responseHist` a log-bucket histogram of
 * response seconds for median/p90.
 */
export const rollupsHourly = pgTable(
  'rollups_hourly',
  {
    hour: tstz('hour').notNull(),
    channel: text('channel').notNull(),
    topicId: text('topic_id').notNull().default(''),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    responseHist: jsonb('response_hist').$type<Record<string, number>>().notNull().default({}),
    responseSecondsSum: bigint('response_seconds_sum', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.channel, t.topicId] })],
);

export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    kind: text('kind').$type<'spike' | 'negative_spike' | 'viral_risk' | 'sla_risk' | 'pr_risk'>().notNull(),
    severity: text('severity').$type<'info' | 'warning' | 'critical'>().notNull().default('warning'),
    topicId: uuid('topic_id'),
    title: text('title').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    postIds: uuid('post_ids').array().notNull().default([]),
    createdAt: createdAt(),
    acknowledgedAt: tstz('acknowledged_at'),
    deliveredVia: text('delivered_via').array().notNull().default([]),
    dedupeKey: text('dedupe_key'),
    score: integer('score'),
  },
  (t) => [index('alerts_created_idx').on(t.createdAt)],
);
