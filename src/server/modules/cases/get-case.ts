import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { getPerson, getPersonTimeline } from '../people/get-person.ts';
import { identities } from '../people/people.schema.ts';
import { outbox } from '../responses/responses.schema.ts';
import { teams, users } from '../users/users.schema.ts';
import { caseEvents, cases } from './cases.schema.ts';
import { presentCaseSummary } from './present-case.ts';

/** A case with its conversation timeline, the person, linked accounts and cross-channel history. */
export async function getCase(db: Db, caseId: string) {
  const [row] = await db
    .select({ c: cases, team: teams.name, assignee: users.name })
    .from(cases)
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(eq(cases.id, caseId));
  if (!row) throw notFound('Case');
  const events = await db
    .select({
      e: caseEvents,
      post: posts,
      handle: identities.handle,
      displayName: identities.displayName,
      followers: identities.followers,
      outboxStatus: outbox.status,
      outboxMode: outbox.mode,
      outboxError: outbox.lastError,
      sentAt: outbox.sentAt,
      actor: users.name,
    })
    .from(caseEvents)
    .leftJoin(posts, eq(posts.id, caseEvents.postId))
    .leftJoin(identities, eq(identities.id, posts.identityId))
    .leftJoin(outbox, eq(outbox.id, caseEvents.outboxId))
    .leftJoin(users, eq(users.id, caseEvents.actorUserId))
    .where(eq(caseEvents.caseId, caseId))
    .orderBy(asc(caseEvents.createdAt), asc(caseEvents.id));
  const person = row.c.personId ? await getPerson(db, row.c.personId) : null;
  const history = row.c.personId ? await getPersonTimeline(db, row.c.personId, 100) : null;
  return {
    ...presentCaseSummary(row.c, { team: row.team, assignee: row.assignee, handle: null }),
    version: row.c.version,
    timeline: events.map((x) => ({
      id: x.e.id,
      kind: x.e.kind,
      type: x.e.type,
      at: x.e.createdAt,
      actor: x.actor,
      body: x.post ? x.post.text : x.e.body,
      data: x.e.data,
      post: x.post
        ? {
            id: x.post.id,
            channel: x.post.channel,
            externalId: x.post.externalId,
            url: x.post.url,
            title: x.post.title,
            author: { handle: x.handle, displayName: x.displayName, followers: x.followers },
            sentiment: x.post.sentiment,
            intent: x.post.intent,
            pii: x.post.pii,
            isPrivate: x.post.isPrivate,
          }
        : null,
      delivery: x.outboxStatus
        ? { status: x.outboxStatus, mode: x.outboxMode, error: x.outboxError, sentAt: x.sentAt }
        : null,
    })),
    person,
    history: history
      ? {
          cases: history.cases.filter((c) => c.id !== caseId),
          interactions: history.interactions,
        }
      : null,
  };
}
