import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, tsvector } from '../../platform/db/columns.ts';
import { conversations, posts } from '../conversations/conversations.schema.ts';
import { people } from '../people/people.schema.ts';
import { teams, users } from '../users/users.schema.ts';

export const caseStatuses = ['new', 'open', 'pending', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof caseStatuses)[number];

export const incidentStatuses = ['suggested', 'open', 'resolved', 'dismissed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/**
 * An outage or other failure many customers report at once. `suggested` incidents come from
 * clustering similar complaints in a time window; an agent accepts (`open`) or dismisses them.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status').$type<IncidentStatus>().notNull().default('open'),
    /** `agent` (opened by hand) or `clustering` (suggested from a burst of similar complaints). */
    source: text('source').$type<'agent' | 'clustering'>().notNull().default('agent'),
    /** Cluster signature (intent + key terms) that grouped the complaints. */
    signature: text('signature'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    resolvedAt: tstz('resolved_at'),
  },
  (t) => [
    index('incidents_status_idx').on(t.status, t.createdAt),
    index('incidents_signature_idx').on(t.signature),
  ],
);

/** Per SLA clock (first response, next response, resolution): the due time seen and when it was warned/breached. */
export type SlaClockState = { due: number; warnedAt?: string; breachedAt?: string };
export type SlaState = Partial<Record<'first_response' | 'next_response' | 'resolution', SlaClockState>>;

export const cases = pgTable(
  'cases',
  {
    id: id(),
    number: bigint('number', { mode: 'number' }).generatedAlwaysAsIdentity(),
    status: text('status').$type<CaseStatus>().notNull().default('new'),
    channel: text('channel').notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    personId: uuid('person_id').references(() => people.id),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    subject: text('subject').notNull().default(''),
    /** Text of the latest inbound message. */
    preview: text('preview').notNull().default(''),
    /** 0 = service recovery (the company made an error), 1 = everyone else. Lower is served first. */
    priorityRank: integer('priority_rank').notNull().default(1),
    /** The due time that orders the queue (the next SLA deadline), then created_at. */
    dueAt: tstz('due_at'),
    priorityReasons: jsonb('priority_reasons').$type<string[]>().notNull().default([]),
    serviceRecovery: boolean('service_recovery').notNull().default(false),
    serviceRecoverySource: text('service_recovery_source').$type<'agent' | 'triage'>(),
    /** Influence is shown to agents and feeds PR-risk alerts; it never orders the queue. */
    maxFollowers: integer('max_followers'),
    intent: text('intent'),
    sentiment: text('sentiment'),
    lang: text('lang'),
    topicIds: uuid('topic_ids').array().notNull().default([]),
    tags: text('tags').array().notNull().default([]),
    incidentId: uuid('incident_id').references(() => incidents.id, { onDelete: 'set null' }),
    isOutreach: boolean('is_outreach').notNull().default(false),
    handedOverBy: uuid('handed_over_by').references(() => users.id),
    mergedIntoId: uuid('merged_into_id'),
    firstInboundAt: tstz('first_inbound_at'),
    lastInboundAt: tstz('last_inbound_at'),
    lastOutboundAt: tstz('last_outbound_at'),
    firstResponseAt: tstz('first_response_at'),
    firstResponseDueAt: tstz('first_response_due_at'),
    nextResponseDueAt: tstz('next_response_due_at'),
    resolutionDueAt: tstz('resolution_due_at'),
    slaWarnedAt: tstz('sla_warned_at'),
    slaBreachedAt: tstz('sla_breached_at'),
    /** Warnings and breaches per SLA clock, so the scheduler acts once per due time. */
    slaState: jsonb('sla_state').$type<SlaState>().notNull().default({}),
    resolvedAt: tstz('resolved_at'),
    closedAt: tstz('closed_at'),
    inboundCount: integer('inbound_count').notNull().default(0),
    outboundCount: integer('outbound_count').notNull().default(0),
    /** Optimistic concurrency: a reply based on a stale version is refused. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
    search: tsvector('search').generatedAlwaysAs(
      sql`to_tsvector('simple'::regconfig, coalesce(subject, '') || ' ' || preview)`,
    ),
  },
  (t) => [
    index('cases_queue_order_idx').on(
      t.status,
      t.priorityRank,
      sql`coalesce(${t.dueAt}, 'infinity'::timestamptz)`,
      t.createdAt,
      t.id,
    ),
    index('cases_team_idx').on(t.teamId, t.status),
    index('cases_assignee_idx').on(t.assigneeId, t.status),
    index('cases_person_idx').on(t.personId, t.createdAt),
    index('cases_conversation_idx').on(t.conversationId),
    index('cases_incident_idx').on(t.incidentId),
    index('cases_created_idx').on(t.createdAt),
    index('cases_search_idx').using('gin', t.search),
  ],
);

export type CaseEventKind = 'inbound' | 'outbound' | 'note' | 'event';

/** The case timeline: inbound posts, outbound replies, internal notes and events. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: id(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<CaseEventKind>().notNull(),
    postId: uuid('post_id').references(() => posts.id),
    outboxId: uuid('outbox_id'),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    /** For events: status_changed, assigned, tagged, merged, linked, incident_update, … */
    type: text('type'),
    body: text('body').notNull().default(''),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('case_events_case_idx').on(t.caseId, t.createdAt),
    index('case_events_post_idx').on(t.postId),
  ],
);
