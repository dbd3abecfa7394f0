import type { ChannelReader } from '../ingestion/reader.ts';
import { emailConfigSchema } from './email-config.ts';
import { listenSmtp } from './listen-smtp.ts';
import { readImap } from './read-imap.ts';

/** Inbound e-mail: IMAP when `imap` is configured, else the SMTP listener; outbound-only channels idle. */
export const readEmail: ChannelReader = async (session) => {
  const config = emailConfigSchema.parse(session.channel.config);
  if (config.imap) return readImap(session, { ...config, imap: config.imap });
  if (config.smtpListener) return listenSmtp(session, { ...config, smtpListener: config.smtpListener });
  return { waitMs: 3_600_000 };
};
