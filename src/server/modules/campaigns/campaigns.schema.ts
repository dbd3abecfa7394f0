import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { cases } from '../cases/cases.schema.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { people } from '../people/people.schema.ts';
import { users } from '../users/users.schema.ts';

export const doNotContact = pgTable(
  'do_not_contact',
  {
    id: id(),
    channel: text('channel'),
    handle: text('handle'),
    personId: uuid('person_id').references(() => people.id),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('dnc_handle_idx').on(t.channel, t.handle), index('dnc_person_idx').on(t.personId)],
);

/** Unsolicited contacts, counted per person for the per-period limit and the metrics. */
export const outreachContacts = pgTable(
  'outreach_contacts',
  {
    id: id(),
    personId: uuid('person_id').references(() => people.id),
    identityId: uuid('identity_id'),
    postId: uuid('post_id').references(() => posts.id),
    caseId: uuid('case_id').references(() => cases.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [index('outreach_person_idx').on(t.personId, t.createdAt)],
);

export type DrawingRules = {
  /** Identities first seen (or created on the channel) less than this many days before the window end do not qualify. */
  minAccountAgeDays?: number;
  /** Exclude identities whose e-mail belongs to an Earshot user (employees). Default true. */
  excludeEmployees?: boolean;
  /** Further handles to exclude (e.g. staff accounts). */
  excludeHandles?: string[];
};
export type FulfilmentStatus = 'pending' | 'notified' | 'sent' | 'claimed' | 'forfeited';

export const drawings = pgTable('drawings', {
  id: id(),
  name: text('name').notNull(),
  query: text('query'),
  topicId: uuid('topic_id'),
  windowStart: tstz('window_start').notNull(),
  windowEnd: tstz('window_end').notNull(),
  prize: text('prize').notNull().default(''),
  /** IANA time zone the window was defined in (display only; the window itself is absolute). */
  timezone: text('timezone').notNull().default('UTC'),
  rules: jsonb('rules').$type<DrawingRules>().notNull().default({}),
  status: text('status').$type<'open' | 'drawn' | 'cancelled'>().notNull().default('open'),
  /** sha256(seed) published when the drawing is created; the seed is revealed after the draw. */
  commitment: text('commitment').notNull(),
  seed: text('seed').notNull(),
  entrantsHash: text('entrants_hash'),
  entrantCount: integer('entrant_count'),
  winnerPersonId: uuid('winner_person_id').references(() => people.id),
  winnerPostId: uuid('winner_post_id').references(() => posts.id),
  winnerIndex: integer('winner_index'),
  winnerEntrantKey: text('winner_entrant_key'),
  algorithm: text('algorithm').notNull().default(''),
  drawnAt: tstz('drawn_at'),
  /** Prize fulfilment: pending → notified → sent → claimed (or forfeited). */
  fulfilmentStatus: text('fulfilment_status').$type<FulfilmentStatus>().notNull().default('pending'),
  fulfilmentNote: text('fulfilment_note').notNull().default(''),
  notifiedAt: tstz('notified_at'),
  notifyCaseId: uuid('notify_case_id'),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: createdAt(),
});

export const drawingEntrants = pgTable(
  'drawing_entrants',
  {
    id: id(),
    drawingId: uuid('drawing_id')
      .notNull()
      .references(() => drawings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    personId: uuid('person_id').notNull(),
    postId: uuid('post_id').notNull(),
    entrantKey: text('entrant_key').notNull(),
    /** The handles the person posted from, as published with the list. */
    label: text('label').notNull().default(''),
  },
  (t) => [uniqueIndex('drawing_entrants_uq').on(t.drawingId, t.position)],
);

/** Posts an agent removed from the Discover queue (not worth reaching out about). */
export const discoverDismissals = pgTable('discover_dismissals', {
  postId: uuid('post_id')
    .primaryKey()
    .references(() => posts.id, { onDelete: 'cascade' }),
  dismissedBy: uuid('dismissed_by').references(() => users.id),
  createdAt: createdAt(),
});
