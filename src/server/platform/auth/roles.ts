import type { Role } from '../../modules/users/users.schema.ts';

/** Who may do what. Routes name one of these sets in `config.roles`. */
export const can = {
  /** Read cases, people, analytics (other support areas included). */
  read: ['admin', 'manager', 'agent', 'viewer'] as Role[],
  /** Everyone signed in, contributors included (hand-overs, their own items). */
  anyone: ['admin', 'manager', 'agent', 'viewer', 'contributor'] as Role[],
  /** Work cases: reply, assign, resolve, link accounts. */
  work: ['admin', 'manager', 'agent'] as Role[],
  /** Configure listening, routing, teams, templates; retrain models. */
  manage: ['admin', 'manager'] as Role[],
  /** Users, tokens of others, channels' secrets, the priority policy. */
  admin: ['admin'] as Role[],
} as const;
