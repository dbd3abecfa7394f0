import { and, asc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { cases } from '../cases/cases.schema.ts';
import { teamMembers, teams, users } from '../users/users.schema.ts';

type TeamRow = typeof teams.$inferSelect;
export type TeamInput = {
  name?: string | undefined;
  description?: string | undefined;
  assignmentStrategy?: TeamRow['assignmentStrategy'] | undefined;
  sla?: TeamRow['sla'] | undefined;
  calendar?: TeamRow['calendar'] | undefined;
  requiredSkills?: string[] | undefined;
  memberIds?: string[] | undefined;
};

/** Open cases per user (the load least-loaded assignment compares with capacity). */
export async function openLoads(db: Db, userIds: string[]) {
  if (!userIds.length) return new Map<string, number>();
  const rows = await db
    .select({ id: cases.assigneeId, n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(inArray(cases.assigneeId, userIds), notInArray(cases.status, ['resolved', 'closed'])))
    .groupBy(cases.assigneeId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

/** A team (queue) with its members, their availability, capacity and current load. */
export async function getTeam(db: Db, id: string) {
  const [t] = await db.select().from(teams).where(eq(teams.id, id));
  if (!t) throw notFound('Team');
  const members = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      availability: users.availability,
      capacity: users.capacity,
      skills: users.skills,
    })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(teamMembers.teamId, id), isNull(users.disabledAt)))
    .orderBy(asc(users.email));
  const loads = await openLoads(
    db,
    members.map((m) => m.id),
  );
  const [open] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(cases)
    .where(and(eq(cases.teamId, id), inArray(cases.status, ['new', 'open', 'pending'])));
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    assignmentStrategy: t.assignmentStrategy,
    sla: t.sla,
    calendar: t.calendar,
    requiredSkills: t.requiredSkills,
    openCases: Number(open?.n ?? 0),
    members: members.map((m) => ({ ...m, openCases: loads.get(m.id) ?? 0 })),
    createdAt: t.createdAt,
  };
}

export async function listTeams(db: Db) {
  const rows = await db.select({ id: teams.id }).from(teams).orderBy(asc(teams.name));
  return Promise.all(rows.map((r) => getTeam(db, r.id)));
}

async function setMembers(tx: Db, teamId: string, memberIds: string[]) {
  const ids = [...new Set(memberIds)];
  if (ids.length) {
    const found = await tx.select({ id: users.id }).from(users).where(inArray(users.id, ids));
    const missing = ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw badRequest(`No user ${missing.join(', ')}`, { missing }, 'unknown_user');
  }
  await tx.delete(teamMembers).where(eq(teamMembers.teamId, teamId));
  if (ids.length) await tx.insert(teamMembers).values(ids.map((userId) => ({ teamId, userId })));
}

/** Creates or changes a team (queue): strategy, SLA targets, calendar, members. Audited. */
export async function saveTeam(db: Db, id: string | null, input: TeamInput, actor: Actor) {
  const teamId = await db.transaction(async (tx) => {
    if (input.name) {
      const [clash] = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(sql`lower(${teams.name}) = lower(${input.name})`);
      if (clash && clash.id !== id)
        throw conflict(`A team named ${input.name} exists`, { teamId: clash.id }, 'team_exists');
    }
    const values = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.assignmentStrategy !== undefined ? { assignmentStrategy: input.assignmentStrategy } : {}),
      ...(input.sla !== undefined ? { sla: input.sla } : {}),
      ...(input.calendar !== undefined ? { calendar: input.calendar } : {}),
      ...(input.requiredSkills !== undefined ? { requiredSkills: input.requiredSkills } : {}),
    };
    let tid: string;
    if (id) {
      const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, id));
      if (!t) throw notFound('Team');
      if (Object.keys(values).length) await tx.update(teams).set(values).where(eq(teams.id, id));
      tid = id;
    } else {
      if (!input.name) throw badRequest('A team needs a name', undefined, 'name_required');
      const [t] = await tx
        .insert(teams)
        .values({ ...values, name: input.name })
        .returning({ id: teams.id });
      tid = t!.id;
    }
    if (input.memberIds) await setMembers(tx, tid, input.memberIds);
    await audit(tx, actor, id ? 'team.updated' : 'team.created', { type: 'team', id: tid }, { ...input });
    return tid;
  });
  return getTeam(db, teamId);
}

export async function deleteTeam(db: Db, id: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const [t] = await tx.delete(teams).where(eq(teams.id, id)).returning({ name: teams.name });
    if (!t) throw notFound('Team');
    await audit(tx, actor, 'team.deleted', { type: 'team', id }, { name: t.name });
  });
}

export async function addMember(db: Db, teamId: string, userId: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
    if (!t) throw notFound('Team');
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!u) throw badRequest(`No user ${userId}`, undefined, 'unknown_user');
    await tx.insert(teamMembers).values({ teamId, userId }).onConflictDoNothing();
    await audit(tx, actor, 'team.member_added', { type: 'team', id: teamId }, { userId });
  });
  return getTeam(db, teamId);
}

export async function removeMember(db: Db, teamId: string, userId: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const gone = await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
      .returning({ userId: teamMembers.userId });
    if (!gone.length) throw notFound('Team member');
    await audit(tx, actor, 'team.member_removed', { type: 'team', id: teamId }, { userId });
  });
  return getTeam(db, teamId);
}
