import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz } from '../../platform/db/columns.ts';

export const roles = ['admin', 'manager', 'agent', 'contributor', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    role: text('role').$type<Role>().notNull(),
    passwordHash: text('password_hash'),
    disabledAt: tstz('disabled_at'),
    availability: text('availability').$type<'online' | 'away' | 'offline'>().notNull().default('offline'),
    /** Open cases an agent takes at most under least-loaded assignment. */
    capacity: integer('capacity').notNull().default(20),
    skills: text('skills').array().notNull().default([]),
    createdAt: createdAt(),
    lastSeenAt: tstz('last_seen_at'),
  },
  (t) => [uniqueIndex('users_email_uq').on(t.email)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: tstz('expires_at').notNull(),
    revokedAt: tstz('revoked_at'),
    userAgent: text('user_agent'),
    ip: text('ip'),
  },
  (t) => [uniqueIndex('sessions_token_uq').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    /** First characters of the token, shown so a user can tell tokens apart. */
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash), index('api_tokens_user_idx').on(t.userId)],
);

/** Teams are queues: cases are routed to a team, then assigned within it. */
export const teams = pgTable(
  'teams',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    assignmentStrategy: text('assignment_strategy')
      .$type<'manual' | 'round_robin' | 'least_loaded' | 'skills'>()
      .notNull()
      .default('manual'),
    /** SLA targets in business minutes: firstResponse, nextResponse, resolution, warnBefore. */
    sla: jsonb('sla')
      .$type<{
        firstResponseMinutes: number;
        nextResponseMinutes: number;
        resolutionMinutes: number;
        warnBeforeMinutes: number;
      }>()
      .notNull()
      .default({
        firstResponseMinutes: 60,
        nextResponseMinutes: 120,
        resolutionMinutes: 1440,
        warnBeforeMinutes: 15,
      }),
    /** Business-hours calendar: IANA time zone, opening hours per weekday (0=Sunday), holidays. */
    calendar: jsonb('calendar')
      .$type<{ timezone: string; hours: Record<string, [string, string][]>; holidays: string[] }>()
      .notNull()
      .default({ timezone: 'UTC', hours: {}, holidays: [] }),
    requiredSkills: text('required_skills').array().notNull().default([]),
    roundRobinCursor: integer('round_robin_cursor').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('teams_name_uq').on(t.name)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
);
