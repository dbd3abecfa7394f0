import { boolean, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';

export type ChannelHealth = {
  status: 'ok' | 'error' | 'idle' | 'backfilling';
  lastSuccessAt?: string;
  lastError?: string;
  lastErrorAt?: string;
  consecutiveFailures?: number;
  received?: number;
};

/** A configured channel. `secrets` is write-only: presenters never return it. */
export const channels = pgTable(
  'channels',
  {
    id: id(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    secrets: jsonb('secrets').$type<Record<string, string>>().notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    cursor: jsonb('cursor').$type<Record<string, unknown>>().notNull().default({}),
    health: jsonb('health').$type<ChannelHealth>().notNull().default({ status: 'idle' }),
    createdAt: createdAt(),
    updatedAt: tstz('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channels_name_uq').on(t.name)],
);
