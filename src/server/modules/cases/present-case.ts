import type { cases } from './cases.schema.ts';

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
    isOutreach: c.isOutreach,
    inboundCount: c.inboundCount,
    outboundCount: c.outboundCount,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastInboundAt: c.lastInboundAt,
  };
}
