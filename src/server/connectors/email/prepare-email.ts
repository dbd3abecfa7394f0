import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import type { ReaderSession } from '../ingestion/reader.ts';
import type { EmailConfig } from './email-config.ts';
import { parseEmail } from './parse-email.ts';
import { resolveEmailThread } from './resolve-email-thread.ts';

/** The channel's own addresses, lower case (loop protection). */
export function ownAddresses(config: EmailConfig): string[] {
  return [config.address, config.smtp?.user, config.imap?.user, ...config.ownAddresses]
    .filter((a): a is string => Boolean(a?.includes('@')))
    .map((a) => a.toLowerCase());
}

export type PreparedEmail = { post: NormalisedPostInput } | { skipped: string; messageId: string };

/**
 * One raw message → the post to ingest (threaded onto a known conversation where it answers
 * one), or the reason it is deliberately dropped (loops, auto-replies, bounces about mail we
 * never sent). Shared by the IMAP reader and the SMTP listener.
 */
export async function prepareEmail(
  session: ReaderSession,
  source: Buffer,
  config: EmailConfig,
): Promise<PreparedEmail> {
  const parsed = await parseEmail(source, {
    maxAttachmentBytes: session.ctx.config.EARSHOT_ATTACHMENT_MAX_BYTES,
    ownAddresses: ownAddresses(config),
  });
  if (parsed.kind === 'skip') return { skipped: parsed.reason, messageId: parsed.messageId };
  const threadKey = await resolveEmailThread(session.ctx.db, {
    answers: parsed.answers,
    from: parsed.post.author.externalId,
    replySubject: parsed.kind === 'message' ? parsed.replySubject : null,
    subjectDays: config.subjectThreadingDays,
  });
  if (parsed.kind === 'bounce') {
    // A bounce joins the case of the message that failed; about anything else it is noise.
    if (!threadKey)
      return {
        skipped: 'bounce about a message this channel did not send',
        messageId: parsed.post.externalId,
      };
    return { post: { ...parsed.post, threadKey } };
  }
  return { post: threadKey ? { ...parsed.post, threadKey } : parsed.post };
}
