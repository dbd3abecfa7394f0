import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { caseEvents, cases, type IncidentStatus, incidents } from './cases.schema.ts';

type IncidentRow = typeof incidents.$inferSelect;

export function presentIncident(i: IncidentRow, counts?: { cases: number; open: number }) {
  return {
    id: i.id,
    title: i.title,
    description: i.description,
    status: i.status,
    source: i.source,
    signature: i.signature,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    resolvedAt: i.resolvedAt,
    cases: counts ? { total: counts.cases, active: counts.open } : undefined,
  };
}

async function caseCounts(db: Db, ids: string[]) {
  if (!ids.length) return new Map<string, { cases: number; open: number }>();
  const rows = await db
    .select({
      incidentId: cases.incidentId,
      total: sql<number>`count(*)::int`,
      open: sql<number>`count(*) FILTER (WHERE ${cases.status} IN ('new', 'open', 'pending'))::int`,
    })
    .from(cases)
    .where(and(inArray(cases.incidentId, ids), isNull(cases.mergedIntoId)))
    .groupBy(cases.incidentId);
  return new Map(rows.map((r) => [r.incidentId!, { cases: Number(r.total), open: Number(r.open) }]));
}

export async function listIncidents(db: Db, status?: IncidentStatus[]) {
  const rows = await db
    .select()
    .from(incidents)
    .where(status?.length ? inArray(incidents.status, status) : undefined)
    .orderBy(desc(incidents.createdAt))
    .limit(200);
  const counts = await caseCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => presentIncident(r, counts.get(r.id) ?? { cases: 0, open: 0 }));
}

/** An incident with its linked cases and the updates sent to them. */
export async function getIncident(db: Db, id: string) {
  const [i] = await db.select().from(incidents).where(eq(incidents.id, id));
  if (!i) throw notFound('Incident');
  const linked = await db
    .select({
      id: cases.id,
      number: cases.number,
      status: cases.status,
      channel: cases.channel,
      preview: cases.preview,
      createdAt: cases.createdAt,
    })
    .from(cases)
    .where(and(eq(cases.incidentId, id), isNull(cases.mergedIntoId)))
    .orderBy(cases.createdAt);
  const updates = await db
    .select({
      updateId: sql<string>`${caseEvents.data}->>'updateId'`,
      body: caseEvents.body,
      at: sql<Date>`min(${caseEvents.createdAt})`,
      cases: sql<number>`count(*)::int`,
    })
    .from(caseEvents)
    .where(and(eq(caseEvents.type, 'incident_update'), sql`${caseEvents.data}->>'incidentId' = ${id}`))
    .groupBy(sql`${caseEvents.data}->>'updateId'`, caseEvents.body)
    .orderBy(sql`min(${caseEvents.createdAt})`);
  return {
    ...presentIncident(i, {
      cases: linked.length,
      open: linked.filter((c) => ['new', 'open', 'pending'].includes(c.status)).length,
    }),
    linkedCases: linked,
    updates: updates.map((u) => ({ id: u.updateId, text: u.body, at: u.at, cases: Number(u.cases) })),
  };
}

/** Links cases to an incident (each gets a timeline event; audited). Returns how many were newly linked. */
export async function linkIncidentCases(
  db: Db,
  incidentId: string,
  caseIds: string[],
  actor: Actor,
  why = 'linked by an agent',
) {
  const ids = [...new Set(caseIds)];
  if (!ids.length) return 0;
  return db.transaction(async (tx) => {
    const [i] = await tx.select().from(incidents).where(eq(incidents.id, incidentId)).for('update');
    if (!i) throw notFound('Incident');
    if (i.status === 'resolved' || i.status === 'dismissed')
      throw conflict(`The incident is ${i.status}`, undefined, 'incident_closed');
    const rows = await tx
      .select({ id: cases.id, incidentId: cases.incidentId })
      .from(cases)
      .where(inArray(cases.id, ids));
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw badRequest(`No case ${missing.join(', ')}`, { missing }, 'unknown_case');
    const toLink = rows.filter((r) => r.incidentId !== incidentId).map((r) => r.id);
    if (!toLink.length) return 0;
    await tx
      .update(cases)
      .set({ incidentId, version: sql`${cases.version} + 1`, updatedAt: new Date() })
      .where(inArray(cases.id, toLink));
    await tx.insert(caseEvents).values(
      toLink.map((caseId) => ({
        caseId,
        kind: 'event' as const,
        type: 'incident_linked',
        actorUserId: actor.userId,
        body: `Linked to incident "${i.title}" (${why})`,
        data: { incidentId },
      })),
    );
    await tx.update(incidents).set({ updatedAt: new Date() }).where(eq(incidents.id, incidentId));
    await audit(
      tx,
      actor,
      'incident.cases_linked',
      { type: 'incident', id: incidentId },
      { caseIds: toLink, why },
    );
    return toLink.length;
  });
}

export async function unlinkIncidentCase(db: Db, incidentId: string, caseId: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const [c] = await tx
      .update(cases)
      .set({ incidentId: null, version: sql`${cases.version} + 1`, updatedAt: new Date() })
      .where(and(eq(cases.id, caseId), eq(cases.incidentId, incidentId)))
      .returning({ id: cases.id });
    if (!c) throw notFound('Linked case');
    await tx.insert(caseEvents).values({
      caseId,
      kind: 'event',
      type: 'incident_unlinked',
      actorUserId: actor.userId,
      body: 'Unlinked from the incident',
      data: { incidentId },
    });
    await audit(tx, actor, 'incident.case_unlinked', { type: 'incident', id: incidentId }, { caseId });
  });
}

export async function createIncident(
  ctx: AppContext,
  input: { title: string; description?: string | undefined; caseIds?: string[] | undefined },
  actor: Actor,
) {
  const [i] = await ctx.db.transaction(async (tx) => {
    const rows = await tx
      .insert(incidents)
      .values({
        title: input.title,
        description: input.description ?? '',
        status: 'open',
        source: 'agent',
        createdBy: actor.userId,
      })
      .returning();
    await audit(tx, actor, 'incident.created', { type: 'incident', id: rows[0]!.id }, { title: input.title });
    return rows;
  });
  if (input.caseIds?.length) await linkIncidentCases(ctx.db, i!.id, input.caseIds, actor);
  ctx.live.emitEvent({ type: 'incident.created', incidentId: i!.id });
  await ctx.bus.publish('incident.created', {
    incidentId: i!.id,
    action: 'created',
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return getIncident(ctx.db, i!.id);
}

/**
 * Edits an incident. Status changes: a suggestion is accepted (`open`) or dismissed (its cases are
 * unlinked); resolving goes through `resolveIncident` so every linked case closes with it.
 */
export async function updateIncident(
  ctx: AppContext,
  id: string,
  input: {
    title?: string | undefined;
    description?: string | undefined;
    status?: 'open' | 'dismissed' | undefined;
  },
  actor: Actor,
) {
  await ctx.db.transaction(async (tx) => {
    const [i] = await tx.select().from(incidents).where(eq(incidents.id, id)).for('update');
    if (!i) throw notFound('Incident');
    if (input.status && input.status !== i.status) {
      const allowed: Record<IncidentStatus, IncidentStatus[]> = {
        suggested: ['open', 'dismissed'],
        open: ['dismissed'],
        resolved: ['open'],
        dismissed: ['open'],
      };
      if (!allowed[i.status].includes(input.status)) {
        throw badRequest(
          `A ${i.status} incident cannot become ${input.status}`,
          { allowed: allowed[i.status] },
          'invalid_transition',
        );
      }
      if (input.status === 'dismissed') {
        await tx
          .update(cases)
          .set({ incidentId: null, updatedAt: new Date() })
          .where(eq(cases.incidentId, id));
      }
    }
    await tx
      .update(incidents)
      .set({
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.status ? { status: input.status, resolvedAt: null } : {}),
        updatedAt: new Date(),
      })
      .where(eq(incidents.id, id));
    await audit(tx, actor, 'incident.updated', { type: 'incident', id }, { ...input, from: i.status });
  });
  ctx.live.emitEvent({ type: 'incident.updated', incidentId: id });
  await ctx.bus.publish('incident.updated', {
    incidentId: id,
    action: 'updated',
    actor: actor.label,
    at: new Date().toISOString(),
  });
  return getIncident(ctx.db, id);
}
