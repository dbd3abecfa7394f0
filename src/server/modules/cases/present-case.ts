import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { teams, users } from '../users/users.schema.ts';
import { cases } from './cases.schema.ts';

type CaseRow = typeof cases.$inferSelect;

/** The inbox shape of a case (fixed fields per CONTRACTS.md: id, status, preview, channel, priority.reasons). */
export function presentCaseSummary(
  c: CaseRow,
  joined: { team: string | null; assignee: string | null; handle: string | null; personName?: string | null },
) {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    channel: c.channel,
    subject: c.subject,
    preview: c.preview,
    priority: {
      rank: c.priorityRank,
      dueAt: c.dueAt,
      serviceRecovery: c.serviceRecovery,
      serviceRecoverySource: c.serviceRecoverySource,
      reasons: c.priorityReasons,
    },
    sla: {
      firstResponseDueAt: c.firstResponseDueAt,
      nextResponseDueAt: c.nextResponseDueAt,
      resolutionDueAt: c.resolutionDueAt,
      firstResponseAt: c.firstResponseAt,
      breachedAt: c.slaBreachedAt,
    },
    queue: c.teamId ? { id: c.teamId, name: joined.team } : null,
    assignee: c.assigneeId ? { id: c.assigneeId, name: joined.assignee } : null,
    personId: c.personId,
    author: joined.handle ? { handle: joined.handle, name: joined.personName ?? null } : null,
    followers: c.maxFollowers,
    intent: c.intent,
    sentiment: c.sentiment,
    lang: c.lang,
    tags: c.tags,
    topicIds: c.topicIds,
    incidentId: c.incidentId,
    handedOverBy: c.handedOverBy,
    mergedIntoId: c.mergedIntoId,
    version: c.version,
    isOutreach: c.isOutreach,
    inboundCount: c.inboundCount,
    outboundCount: c.outboundCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastInboundAt: c.lastInboundAt,
  };
}

/** The inbox shape of one case, loaded with its queue and assignee names. */
export async function loadCaseSummary(db: Db, caseId: string) {
  const [row] = await db
    .select({ c: cases, team: teams.name, assignee: users.name, assigneeEmail: users.email })
    .from(cases)
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(eq(cases.id, caseId));
  if (!row) throw notFound('Case');
  return presentCaseSummary(row.c, {
    team: row.team,
    assignee: row.assignee || row.assigneeEmail,
    handle: null,
  });
}
