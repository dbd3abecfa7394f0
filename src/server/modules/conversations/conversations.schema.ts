import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  real,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, tstz, tsvector } from '../../platform/db/columns.ts';
import { channels } from '../channels/channels.schema.ts';
import { identities } from '../people/people.schema.ts';

/** A thread: replies on a network, an e-mail chain, a forum topic. */
export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    channel: text('channel').notNull(),
    threadKey: text('thread_key').notNull(),
    subject: text('subject'),
    createdAt: createdAt(),
    lastActivityAt: tstz('last_activity_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('conversations_thread_uq').on(t.channel, t.threadKey)],
);

export type PiiSpan = { kind: string; start: number; end: number };
export type Highlight = [number, number];

/** A normalised post, stored because it matched a topic or addressed the brand. */
export const posts = pgTable(
  'posts',
  {
    id: id(),
    channel: text('channel').notNull(),
    channelId: uuid('channel_id').references(() => channels.id, { onDelete: 'set null' }),
    externalId: text('external_id').notNull(),
    url: text('url'),
    identityId: uuid('identity_id')
      .notNull()
      .references(() => identities.id),
    direction: text('direction').$type<'inbound' | 'outbound'>().notNull(),
    toBrand: boolean('to_brand').notNull().default(false),
    isPrivate: boolean('is_private').notNull().default(false),
    isRepost: boolean('is_repost').notNull().default(false),
    text: text('text').notNull(),
    title: text('title'),
    createdAt: tstz('created_at').notNull(),
    ingestedAt: tstz('ingested_at').notNull().defaultNow(),
    inReplyTo: text('in_reply_to'),
    threadKey: text('thread_key'),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    links: text('links').array().notNull().default([]),
    metrics: jsonb('metrics').$type<{ reposts?: number; replies?: number; likes?: number }>(),
    raw: jsonb('raw').$type<Record<string, unknown>>(),
    /** Topics whose queries matched at ingest, with highlight spans per topic. */
    topicIds: uuid('topic_ids').array().notNull().default([]),
    highlights: jsonb('highlights').$type<Record<string, Highlight[]>>().notNull().default({}),
    // Enrichment (triage signals)
    lang: text('lang'),
    sentiment: text('sentiment').$type<'negative' | 'neutral' | 'positive'>(),
    sentimentScore: real('sentiment_score'),
    intent: text('intent'),
    actionable: boolean('actionable'),
    serviceRecovery: boolean('service_recovery').notNull().default(false),
    pii: jsonb('pii').$type<PiiSpan[]>().notNull().default([]),
    signals: jsonb('signals').$type<Record<string, unknown>>().notNull().default({}),
    /** Set when every pipeline stage after storage has run; NULL rows are resumed at start. */
    processedAt: tstz('processed_at'),
    caseId: uuid('case_id'),
    /** Monotonic insertion order, used for stable cursors and rollups. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || text)`,
    ),
  },
  (t) => [
    uniqueIndex('posts_channel_ext_uq').on(t.channel, t.externalId),
    index('posts_conversation_idx').on(t.conversationId, t.createdAt),
    index('posts_identity_idx').on(t.identityId, t.createdAt),
    index('posts_case_idx').on(t.caseId),
    index('posts_created_idx').on(t.createdAt),
    index('posts_unprocessed_idx').on(t.seq).where(sql`processed_at IS NULL`),
    index('posts_reply_idx').on(t.channel, t.inReplyTo),
    index('posts_thread_key_idx').on(t.channel, t.threadKey),
    index('posts_search_idx').using('gin', t.search),
    index('posts_topics_idx').using('gin', t.topicIds),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    postId: uuid('post_id')
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    filename: text('filename'),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    content: bytea('content'),
    url: text('url'),
    createdAt: createdAt(),
  },
  (t) => [index('attachments_post_idx').on(t.postId)],
);
