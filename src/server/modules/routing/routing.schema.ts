import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id } from '../../platform/db/columns.ts';
import { teams } from '../users/users.schema.ts';

/** A routing condition: all listed fields must match (arrays mean "any of"). */
export type RoutingConditions = {
  channels?: string[];
  topicIds?: string[];
  intents?: string[];
  sentiments?: string[];
  languages?: string[];
  keywords?: string[];
  /** Customer-account attributes, e.g. {"plan":["business"]}. */
  account?: Record<string, string[]>;
  serviceRecovery?: boolean;
};

export const routingRules = pgTable('routing_rules', {
  id: id(),
  name: text('name').notNull(),
  /** Rules are evaluated in ascending position; the first match wins. */
  position: integer('position').notNull().default(0),
  conditions: jsonb('conditions').$type<RoutingConditions>().notNull().default({}),
  teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
  addTags: text('add_tags').array().notNull().default([]),
  requiredSkills: text('required_skills').array().notNull().default([]),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: createdAt(),
});
