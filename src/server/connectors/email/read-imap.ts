import { ImapFlow } from 'imapflow';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { secretOf } from '../ingestion/channel-config-base.ts';
import type { ReaderSession, ReadResult } from '../ingestion/reader.ts';
import type { EmailConfig } from './email-config.ts';
import { prepareEmail } from './prepare-email.ts';

type ImapCursor = { uidValidity?: string; lastUid?: number };

const BATCH = 50;
/** RFC 2177: re-issue IDLE at least every 29 minutes. */
const IDLE_RESTART_MS = 25 * 60_000;

/**
 * IMAP reader (RFC 9051 / RFC 3501, imapflow): the cursor is the mailbox's UIDVALIDITY and the
 * last UID ingested, so a restart fetches `lastUid+1:*` and nothing else (a changed UIDVALIDITY
 * means the mailbox was recreated: re-read it all, Message-ID dedupe keeps it exact). Where the
 * server offers IDLE (RFC 2177) the session stays connected and fetches on each EXISTS; else it
 * polls every `pollSeconds`. Messages are never flagged or moved: the mailbox stays the
 * team's.
 */
export async function readImap(
  session: ReaderSession,
  config: EmailConfig & { imap: NonNullable<EmailConfig['imap']> },
): Promise<ReadResult> {
  const { imap } = config;
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: secretOf(session.channel.secrets, 'imapPassword', 'email') },
    logger: false,
    disableAutoIdle: true,
    maxIdleTime: IDLE_RESTART_MS,
  });
  // Errors on the socket surface as failed commands; without a listener they would crash the process.
  client.on('error', (err: Error) => session.log.warn({ err: err.message }, 'imap connection error'));
  const onAbort = () => void client.logout().catch(() => client.close());
  session.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.connect();
    const box = await client.mailboxOpen(imap.mailbox, { readOnly: true });
    let cursor = session.cursor as ImapCursor;
    if (cursor.uidValidity !== String(box.uidValidity)) {
      if (cursor.uidValidity)
        session.log.warn(
          { was: cursor.uidValidity, now: String(box.uidValidity) },
          'UIDVALIDITY changed: re-reading the mailbox',
        );
      cursor = { uidValidity: String(box.uidValidity), lastUid: 0 };
    }

    // Set by every EXISTS, also one that arrives during a fetch, so no new mail waits for the next IDLE restart.
    let dirty = false;
    client.on('exists', () => {
      dirty = true;
    });
    const fetchNew = async () => {
      dirty = false;
      const lastUid = cursor.lastUid ?? 0;
      const found = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
      // `n:*` always matches the highest UID, even when it is below n.
      const uids = (found || []).filter((u) => u > lastUid).sort((a, b) => a - b);
      if (uids.length > BATCH) await session.setStatus('backfilling');
      for (let i = 0; i < uids.length && !session.signal.aborted; i += BATCH) {
        const chunk = uids.slice(i, i + BATCH);
        const messages = await client.fetchAll(chunk.join(','), { uid: true, source: true }, { uid: true });
        messages.sort((a, b) => a.uid - b.uid);
        const batch: NormalisedPostInput[] = [];
        let skipped = 0;
        for (const msg of messages) {
          if (!msg.source) continue;
          const prepared = await prepareEmail(session, msg.source, config);
          if ('post' in prepared) batch.push(prepared.post);
          else {
            skipped++;
            session.log.info({ messageId: prepared.messageId, reason: prepared.skipped }, 'e-mail skipped');
          }
        }
        cursor = { uidValidity: cursor.uidValidity, lastUid: chunk[chunk.length - 1]! };
        await session.commit(batch, cursor, { skipped });
      }
      if (uids.length > BATCH) await session.setStatus('ok');
    };

    await fetchNew();
    if (!imap.idle || !client.capabilities.has('IDLE')) return { waitMs: imap.pollSeconds * 1000 };
    while (!session.signal.aborted && client.usable) {
      if (!dirty) await waitForNewMail(client, session.signal);
      if (session.signal.aborted) break;
      if (!client.usable) throw new Error('IMAP connection closed by the server');
      await fetchNew();
    }
    return { waitMs: 0 };
  } finally {
    session.signal.removeEventListener('abort', onAbort);
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

/** Enters IDLE and resolves on the next EXISTS, a closed connection, an abort, or the IDLE restart time. */
function waitForNewMail(client: ImapFlow, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('exists', done);
      client.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, IDLE_RESTART_MS);
    client.on('exists', done);
    client.on('close', done);
    signal.addEventListener('abort', done, { once: true });
    client.idle().catch(done);
  });
}
