import { and, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import { cases } from '../../modules/cases/cases.schema.ts';
import { conversations, posts } from '../../modules/conversations/conversations.schema.ts';
import { identities } from '../../modules/people/people.schema.ts';
import { outbox } from '../../modules/responses/responses.schema.ts';
import type { Db } from '../../platform/db/client.ts';
import { threadSubject } from './parse-email.ts';

/**
 * The thread key of the conversation an e-mail belongs to, when one is known: a conversation
 * keyed by one of the Message-IDs it answers, a stored message it answers, or a reply we sent
 * (outbox, whose Message-ID the customer's client puts in In-Reply-To/References). Without any
 * of these, a "Re:" subject from the same sender within `subjectDays` joins that thread.
 */
export async function resolveEmailThread(
  db: Db,
  input: { answers: string[]; from: string; replySubject: string | null; subjectDays: number },
): Promise<string | null> {
  const answers = input.answers.slice(0, 100);
  if (answers.length) {
    const known = await db
      .select({ threadKey: conversations.threadKey })
      .from(conversations)
      .where(and(eq(conversations.channel, 'email'), inArray(conversations.threadKey, answers)));
    if (known.length) return answers.find((a) => known.some((k) => k.threadKey === a))!;
    const [stored] = await db
      .select({ threadKey: posts.threadKey })
      .from(posts)
      .where(and(eq(posts.channel, 'email'), inArray(posts.externalId, answers), isNotNull(posts.threadKey)))
      .limit(1);
    if (stored?.threadKey) return stored.threadKey;
    const [sent] = await db
      .select({ threadKey: conversations.threadKey })
      .from(outbox)
      .innerJoin(cases, eq(cases.id, outbox.caseId))
      .innerJoin(conversations, eq(conversations.id, cases.conversationId))
      .where(and(inArray(outbox.externalId, answers), eq(conversations.channel, 'email')))
      .limit(1);
    if (sent) return sent.threadKey;
  }
  if (input.replySubject && input.subjectDays > 0) {
    const since = new Date(Date.now() - input.subjectDays * 86_400_000);
    const recent = await db
      .select({ title: posts.title, threadKey: posts.threadKey })
      .from(posts)
      .innerJoin(identities, eq(identities.id, posts.identityId))
      .where(
        and(
          eq(posts.channel, 'email'),
          eq(identities.channel, 'email'),
          eq(identities.externalId, input.from),
          gte(posts.createdAt, since),
        ),
      )
      .orderBy(desc(posts.createdAt))
      .limit(100);
    const match = recent.find((p) => p.title && p.threadKey && threadSubject(p.title) === input.replySubject);
    if (match) return match.threadKey;
  }
  return null;
}
