import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';

/**
 * Hourly rollups per channel (and topic, '' for all), updated as events happen so reports never
 * scan raw tables. `counts` holds named counters; `responseHist` a log-bucket histogram of
 * first-response seconds (business hours where a queue calendar applies) for median/p90;
 * `resolutionHist` the same for resolution times.
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
    resolutionHist: jsonb('resolution_hist').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.hour, t.channel, t.topicId] }),
    index('rollups_topic_hour_idx').on(t.topicId, t.hour),
  ],
);

/**
 * The same counters per UTC day, written in the same statement as the hourly rows: long ranges
 * read one row per channel and day instead of 24.
 */
export const rollupsDaily = pgTable(
  'rollups_daily',
  {
    day: tstz('day').notNull(),
    channel: text('channel').notNull(),
    topicId: text('topic_id').notNull().default(''),
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    responseHist: jsonb('response_hist').$type<Record<string, number>>().notNull().default({}),
    responseSecondsSum: bigint('response_seconds_sum', { mode: 'number' }).notNull().default(0),
    resolutionHist: jsonb('resolution_hist').$type<Record<string, number>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.channel, t.topicId] }),
    index('rollups_daily_topic_day_idx').on(t.topicId, t.day),
  ],
);

/** What the rollups already counted (`kind`, `ref`): redelivered events never count twice. */
export const analyticsCounted = pgTable(
  'analytics_counted',
  {
    kind: text('kind').notNull(),
    ref: text('ref').notNull(),
    at: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.ref] })],
);

/**
 * One compact row per case, kept in step with case events: the backlog (open cases by queue,
 * assignee and age) and the case-level metrics (SLA, resolution, conversations) read this, not
 * the cases table.
 */
export const analyticsCaseFacts = pgTable(
  'analytics_case_facts',
  {
    caseId: uuid('case_id').primaryKey(),
    channel: text('channel').notNull(),
    topicIds: text('topic_ids').array().notNull().default([]),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    status: text('status').notNull(),
    open: boolean('open').notNull(),
    isOutreach: boolean('is_outreach').notNull().default(false),
    openedAt: tstz('opened_at').notNull(),
    firstResponseAt: tstz('first_response_at'),
    resolvedAt: tstz('resolved_at'),
    exchanges: integer('exchanges').notNull().default(0),
    slaCounted: boolean('sla_counted').notNull().default(false),
    resolutionCounted: boolean('resolution_counted').notNull().default(false),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('case_facts_open_idx').on(t.openedAt).where(sql`open`),
    index('case_facts_opened_idx').on(t.openedAt),
  ],
);

export type AlertKind = 'spike' | 'negative_spike' | 'viral_risk' | 'sla_risk' | 'pr_risk';

export const alerts = pgTable(
  'alerts',
  {
    id: id(),
    kind: text('kind').$type<AlertKind>().notNull(),
    severity: text('severity').$type<'info' | 'warning' | 'critical'>().notNull().default('warning'),
    topicId: uuid('topic_id'),
    title: text('title').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    postIds: uuid('post_ids').array().notNull().default([]),
    createdAt: createdAt(),
    acknowledgedAt: tstz('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by'),
    deliveredVia: text('delivered_via').array().notNull().default([]),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    deliveryError: text('delivery_error'),
    dedupeKey: text('dedupe_key'),
    score: integer('score'),
  },
  (t) => [
    index('alerts_created_idx').on(t.createdAt),
    uniqueIndex('alerts_dedupe_uq').on(t.dedupeKey),
    index('alerts_undelivered_idx')
      .on(t.createdAt)
      .where(sql`delivery_attempts < 5 AND delivery_error IS NOT NULL`),
  ],
);

/**
 * Seasonal baselines for spike detection: an exponentially weighted mean and variance per topic
 * ('' for all), metric and slot (hour of week 0–167, or -1 for the non-seasonal level).
 */
export const alertBaselines = pgTable(
  'alert_baselines',
  {
    topicId: text('topic_id').notNull(),
    metric: text('metric').notNull(),
    slot: integer('slot').notNull(),
    mean: real('mean').notNull().default(0),
    variance: real('variance').notNull().default(0),
    n: integer('n').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.metric, t.slot] })],
);

/** Named progress markers of periodic jobs (e.g. the last hour the spike detector closed). */
export const analyticsCursors = pgTable('analytics_cursors', {
  name: text('name').primaryKey(),
  at: tstz('at').notNull(),
});

/** Engagement snapshots of a post (reshares, replies) over time, for viral-risk growth. */
export const postMetricSnapshots = pgTable(
  'post_metric_snapshots',
  {
    postId: uuid('post_id').notNull(),
    at: tstz('at').notNull(),
    reposts: integer('reposts').notNull().default(0),
    replies: integer('replies').notNull().default(0),
    likes: integer('likes').notNull().default(0),
    velocity: real('velocity'),
  },
  (t) => [primaryKey({ columns: [t.postId, t.at] })],
);
