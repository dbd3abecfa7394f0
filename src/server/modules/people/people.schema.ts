import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';
import { users } from '../users/users.schema.ts';

/** A person behind one or more social identities. */
export const people = pgTable('people', {
  id: id(),
  displayName: text('display_name').notNull().default(''),
  primaryEmail: text('primary_email'),
  doNotContact: boolean('do_not_contact').notNull().default(false),
  optedOutAt: tstz('opted_out_at'),
  mergedIntoId: uuid('merged_into_id'),
  createdAt: createdAt(),
});

/** A handle on one channel. Unique on (channel, external_id): ingestion is idempotent on it. */
export const identities = pgTable(
  'identities',
  {
    id: id(),
    channel: text('channel').notNull(),
    externalId: text('external_id').notNull(),
    handle: text('handle').notNull(),
    displayName: text('display_name'),
    followers: integer('followers'),
    email: text('email'),
    profile: jsonb('profile').$type<Record<string, unknown>>().notNull().default({}),
    personId: uuid('person_id').references(() => people.id),
    firstSeenAt: createdAt(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('identities_channel_ext_uq').on(t.channel, t.externalId),
    index('identities_person_idx').on(t.personId),
    index('identities_handle_idx').on(t.handle),
    index('identities_email_idx').on(t.email),
  ],
);

export const customerAccounts = pgTable(
  'customer_accounts',
  {
    id: id(),
    accountNumber: text('account_number').notNull(),
    name: text('name').notNull().default(''),
    email: text('email'),
    phone: text('phone'),
    plan: text('plan'),
    status: text('status').notNull().default('active'),
    attributes: jsonb('attributes').$type<Record<string, string>>().notNull().default({}),
    /** Handles and e-mails the customer record lists (from `earshot import customers`). */
    knownHandles: jsonb('known_handles').$type<{ channel: string; handle: string }[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('customer_accounts_number_uq').on(t.accountNumber),
    index('customer_accounts_email_idx').on(t.email),
    index('customer_accounts_handles_idx').using('gin', t.knownHandles),
  ],
);

export type LinkMethod = 'verified' | 'agent' | 'import' | 'email-match' | 'auto';

/** identity → person, with evidence. Removal keeps the row (removed_at) for the audit trail. */
export const identityLinks = pgTable(
  'identity_links',
  {
    id: id(),
    identityId: uuid('identity_id')
      .notNull()
      .references(() => identities.id),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    method: text('method').$type<LinkMethod>().notNull(),
    evidence: text('evidence').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: tstz('removed_at'),
    removedBy: uuid('removed_by').references(() => users.id),
  },
  (t) => [
    index('identity_links_identity_idx').on(t.identityId),
    index('identity_links_person_idx').on(t.personId),
  ],
);

/** person → customer account, with how the link was made and why. */
export const accountLinks = pgTable(
  'account_links',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id),
    method: text('method').$type<LinkMethod>().notNull(),
    reason: text('reason').notNull().default(''),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    removedAt: tstz('removed_at'),
    removedBy: uuid('removed_by').references(() => users.id),
    removedReason: text('removed_reason'),
  },
  (t) => [
    index('account_links_person_idx').on(t.personId),
    index('account_links_account_idx').on(t.accountId),
  ],
);

/**
 * A pending verified link: Earshot sent the customer a one-time code (and link) privately; when
 * they confirm, the account link is stored with method `verified` and this row as evidence.
 */
export const linkVerifications = pgTable(
  'link_verifications',
  {
    id: id(),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => customerAccounts.id),
    caseId: uuid('case_id'),
    outboxId: uuid('outbox_id'),
    /** sha256 of the one-time code and of the link token (never stored in the clear). */
    codeHash: text('code_hash').notNull(),
    tokenHash: text('token_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: tstz('expires_at').notNull(),
    confirmedAt: tstz('confirmed_at'),
    linkId: uuid('link_id'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('link_verifications_token_uq').on(t.tokenHash),
    index('link_verifications_person_idx').on(t.personId),
  ],
);
