import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { cases } from '../cases/cases.schema.ts';
import { users } from '../users/users.schema.ts';

export type ReplyMode = 'public' | 'private' | 'email';
export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

/**
 * Every outbound message goes through the outbox: written in the same transaction as the case
 * change, delivered by the worker through the connector registry, retried with backoff, and
 * unique on its idempotency key so a retried request is recorded (and sent) once.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    channelId: uuid('channel_id'),
    mode: text('mode').$type<ReplyMode>().notNull(),
    text: text('text').notNull(),
    /** Where it goes: the identity, address, or post it answers. */
    target: jsonb('target').$type<Record<string, unknown>>().notNull().default({}),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    externalId: text('external_id'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    uniqueIndex('outbox_idem_uq').on(t.idempotencyKey),
    index('outbox_due_idx').on(t.status, t.nextAttemptAt),
    index('outbox_case_idx').on(t.caseId),
    index('outbox_channel_idx').on(t.channel, t.createdAt),
  ],
);

/** Reply templates with `{{variables}}` (customer.name, case.number, agent.name, …). */
export const templates = pgTable(
  'templates',
  {
    id: id(),
    name: text('name').notNull(),
    body: text('body').notNull(),
    /** Channels it fits (empty = all). */
    channels: text('channels').array().notNull().default([]),
    /** Reply modes it is meant for (empty = all). */
    modes: text('modes').array().notNull().default([]),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('templates_name_uq').on(t.name)],
);

/** Outgoing webhooks for other support areas: signed with HMAC-SHA256 of the body with `secret`. */
export const webhooks = pgTable('webhooks', {
  id: id(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  /** Event names or patterns (`case.*`, `reply.sent`); empty = every event. */
  events: text('events').array().notNull().default([]),
  enabled: integer('enabled').notNull().default(1),
  description: text('description').notNull().default(''),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    event: text('event').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status').$type<'queued' | 'sending' | 'sent' | 'failed'>().notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
    lastError: text('last_error'),
    responseStatus: integer('response_status'),
    /** One delivery per webhook and event, even when the bus delivers the event twice. */
    eventKey: text('event_key'),
    durationMs: integer('duration_ms'),
    createdAt: createdAt(),
    sentAt: tstz('sent_at'),
  },
  (t) => [
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_log_idx').on(t.webhookId, t.createdAt),
    uniqueIndex('webhook_deliveries_event_uq').on(t.webhookId, t.eventKey),
  ],
);
