import { SMTPServer } from 'smtp-server';
import { safeEqual } from '../../platform/auth/secrets.ts';
import type { ReaderSession, ReadResult } from '../ingestion/reader.ts';
import type { EmailConfig } from './email-config.ts';
import { prepareEmail } from './prepare-email.ts';

/**
 * The built-in SMTP listener (RFC 5321, smtp-server), for installations where an MTA forwards
 * the brand's mail to Earshot instead of it being read over IMAP. A message is acknowledged
 * (250) only after it is durably ingested or deliberately dropped; a failure answers 451 so the
 * sending server retries — at-least-once without a cursor. With the `smtpListenerPassword`
 * secret set, senders must authenticate (AUTH PLAIN/LOGIN).
 */
export async function listenSmtp(
  session: ReaderSession,
  config: EmailConfig & { smtpListener: NonNullable<EmailConfig['smtpListener']> },
): Promise<ReadResult> {
  const { smtpListener } = config;
  const password = session.channel.secrets.smtpListenerPassword;
  const server = new SMTPServer({
    banner: 'Earshot',
    size: smtpListener.maxBytes,
    authOptional: !password,
    allowInsecureAuth: true,
    disabledCommands: password ? ['STARTTLS'] : ['AUTH', 'STARTTLS'],
    logger: false,
    onAuth(auth, _s, cb) {
      if (password && typeof auth.password === 'string' && safeEqual(auth.password, password))
        return cb(null, { user: auth.username ?? '' });
      cb(new Error('Invalid username or password'));
    },
    onData(stream, _s, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return cb(
            Object.assign(new Error(`Message exceeds ${smtpListener.maxBytes} bytes`), { responseCode: 552 }),
          );
        }
        (async () => {
          const prepared = await prepareEmail(session, Buffer.concat(chunks), config);
          if ('post' in prepared) await session.commit([prepared.post], session.cursor);
          else {
            session.log.info({ messageId: prepared.messageId, reason: prepared.skipped }, 'e-mail skipped');
            await session.commit([], session.cursor, { skipped: 1 });
          }
        })().then(
          () => cb(),
          (err: Error) => {
            session.log.warn({ err: err.message }, 'SMTP message not ingested; asked the sender to retry');
            cb(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(smtpListener.port, smtpListener.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err: Error) => session.log.warn({ err: err.message }, 'SMTP listener error'));
  await session.noteHealth({ listening: `${smtpListener.host}:${smtpListener.port}` });
  await new Promise<void>((resolve) => {
    if (session.signal.aborted) return resolve();
    session.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { waitMs: 0 };
}
