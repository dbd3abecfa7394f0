import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { cases } from '../cases/cases.schema.ts';
import { teamMembers, teams, users } from '../users/users.schema.ts';
import { type RoutingConditions, routingRules } from './routing.schema.ts';

export type RoutingFacts = {
  channel: string;
  topicIds: string[];
  intent: string | null;
  sentiment: string | null;
  lang: string | null;
  text: string;
  serviceRecovery: boolean;
  account: Record<string, string> | null;
};

/** True when every condition the rule sets holds for the case. */
export function ruleMatches(c: RoutingConditions, f: RoutingFacts): boolean {
  const any = (list: string[] | undefined, v: string | null) =>
    !list?.length || (v !== null && list.includes(v));
  if (!any(c.channels, f.channel)) return false;
  if (c.topicIds?.length && !c.topicIds.some((t) => f.topicIds.includes(t))) return false;
  if (!any(c.intents, f.intent) || !any(c.sentiments, f.sentiment) || !any(c.languages, f.lang)) return false;
  if (c.serviceRecovery !== undefined && c.serviceRecovery !== f.serviceRecovery) return false;
  if (c.keywords?.length) {
    const text = f.text.toLowerCase();
    if (!c.keywords.some((k) => text.includes(k.toLowerCase()))) return false;
  }
  if (c.account && Object.keys(c.account).length) {
    if (!f.account) return false;
    for (const [k, vals] of Object.entries(c.account)) if (!vals.includes(f.account[k] ?? '')) return false;
  }
  return true;
}

/** Picks the queue for a case: the first enabled rule that matches, else the default (oldest) team. */
export async function chooseTeam(db: Db, facts: RoutingFacts) {
  const rules = await db
    .select()
    .from(routingRules)
    .where(eq(routingRules.enabled, true))
    .orderBy(asc(routingRules.position), asc(routingRules.createdAt));
  for (const r of rules) {
    if (r.teamId && ruleMatches(r.conditions, facts)) {
      return { teamId: r.teamId, rule: r.name, addTags: r.addTags, requiredSkills: r.requiredSkills };
    }
  }
  const [t] = await db.select({ id: teams.id }).from(teams).orderBy(asc(teams.createdAt)).limit(1);
  return { teamId: t?.id ?? null, rule: null, addTags: [] as string[], requiredSkills: [] as string[] };
}

/**
 * Picks an assignee within the team by its strategy: manual (nobody; agents pull), round-robin
 * over online members, least-loaded under each agent's capacity, or skills (members with every
 * required skill, then least-loaded). Returns null when nobody is available.
 */
export async function chooseAssignee(
  db: Db,
  teamId: string,
  requiredSkills: string[] = [],
): Promise<string | null> {
  const [team] = await db.select().from(teams).where(eq(teams.id, teamId));
  if (!team || team.assignmentStrategy === 'manual') return null;
  const members = await db
    .select({ id: users.id, capacity: users.capacity, skills: users.skills })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      and(
        eq(teamMembers.teamId, teamId),
        eq(users.availability, 'online'),
        isNull(users.disabledAt),
        inArray(users.role, ['admin', 'manager', 'agent']),
      ),
    )
    .orderBy(asc(users.id));
  if (!members.length) return null;
  const skills = [...new Set([...(team.requiredSkills ?? []), ...requiredSkills])];
  let pool = members;
  if (team.assignmentStrategy === 'skills' && skills.length) {
    pool = members.filter((m) => skills.every((s) => m.skills.includes(s)));
    if (!pool.length) return null;
  }
  const loads = await db
    .select({ assigneeId: cases.assigneeId, n: sql<number>`count(*)::int` })
    .from(cases)
    .where(
      and(
        inArray(
          cases.assigneeId,
          pool.map((m) => m.id),
        ),
        notInArray(cases.status, ['resolved', 'closed']),
      ),
    )
    .groupBy(cases.assigneeId);
  const load = new Map(loads.map((l) => [l.assigneeId, Number(l.n)]));
  const available = pool.filter((m) => (load.get(m.id) ?? 0) < m.capacity);
  if (!available.length) return null;
  if (team.assignmentStrategy === 'round_robin') {
    const idx = team.roundRobinCursor % available.length;
    await db
      .update(teams)
      .set({ roundRobinCursor: team.roundRobinCursor + 1 })
      .where(eq(teams.id, teamId));
    return available[idx]!.id;
  }
  available.sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || a.id.localeCompare(b.id));
  return available[0]!.id;
}
