import { asc, eq } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { teams } from '../users/users.schema.ts';
import { type RoutingConditions, routingRules } from './routing.schema.ts';

export type RuleInput = {
  name?: string | undefined;
  position?: number | undefined;
  conditions?: RoutingConditions | undefined;
  teamId?: string | null | undefined;
  addTags?: string[] | undefined;
  requiredSkills?: string[] | undefined;
  enabled?: boolean | undefined;
};

export function listRoutingRules(db: Db) {
  return db.select().from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.createdAt));
}

export async function getRoutingRule(db: Db, id: string) {
  const [r] = await db.select().from(routingRules).where(eq(routingRules.id, id));
  if (!r) throw notFound('Routing rule');
  return r;
}

/** Creates or changes a routing rule (first match in ascending position wins). Audited. */
export async function saveRoutingRule(db: Db, id: string | null, input: RuleInput, actor: Actor) {
  return db.transaction(async (tx) => {
    if (input.teamId) {
      const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId));
      if (!t) throw badRequest(`No team ${input.teamId}`, undefined, 'unknown_team');
    }
    const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<
      typeof routingRules.$inferInsert
    >;
    let row: typeof routingRules.$inferSelect | undefined;
    if (id) {
      [row] = await tx.update(routingRules).set(values).where(eq(routingRules.id, id)).returning();
      if (!row) throw notFound('Routing rule');
    } else {
      if (!input.name) throw badRequest('A rule needs a name', undefined, 'name_required');
      [row] = await tx
        .insert(routingRules)
        .values({ ...values, name: input.name })
        .returning();
    }
    await audit(
      tx,
      actor,
      id ? 'routing_rule.updated' : 'routing_rule.created',
      { type: 'routing_rule', id: row!.id },
      { ...input },
    );
    return row!;
  });
}

export async function deleteRoutingRule(db: Db, id: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const [r] = await tx.delete(routingRules).where(eq(routingRules.id, id)).returning();
    if (!r) throw notFound('Routing rule');
    await audit(
      tx,
      actor,
      'routing_rule.deleted',
      { type: 'routing_rule', id },
      { name: r.name, conditions: r.conditions },
    );
  });
}
