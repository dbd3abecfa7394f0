import { z } from 'zod';
import { baseChannelConfig } from '../ingestion/channel-config-base.ts';

const host = z.string().trim().min(1).max(255);
const port = z.number().int().min(1).max(65_535);

/**
 * An e-mail channel: the brand's address, how mail comes in (IMAP, or the built-in SMTP
 * listener), and the SMTP server replies go out through. Passwords are write-only secrets:
 * `imapPassword`, `smtpPassword`, `smtpListenerPassword` (when set, senders must authenticate).
 */
export const emailConfigSchema = baseChannelConfig.extend({
  /** The brand's address: From of replies, and an own address for loop protection. */
  address: z.email().optional(),
  /** Further own addresses: mail from them is never ingested (loops). */
  ownAddresses: z.array(z.email()).max(100).default([]),
  imap: z
    .object({
      host,
      port: port.default(993),
      /** Implicit TLS (993); false for plain or STARTTLS (143). */
      secure: z.boolean().default(true),
      user: z.string().min(1).max(320),
      mailbox: z.string().min(1).max(255).default('INBOX'),
      /** Wait for new mail with IMAP IDLE where the server offers it; else poll. */
      idle: z.boolean().default(true),
      pollSeconds: z.number().int().min(1).max(3600).default(60),
    })
    .optional(),
  smtpListener: z
    .object({
      host: host.default('127.0.0.1'),
      port,
      /** Largest message accepted (bytes). */
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .max(100 * 1024 * 1024)
        .default(25 * 1024 * 1024),
    })
    .optional(),
  smtp: z
    .object({
      host,
      port: port.default(587),
      secure: z.boolean().default(false),
      user: z.string().min(1).max(320).optional(),
      /** Refuse to send unless the server offers STARTTLS. */
      requireTLS: z.boolean().default(false),
    })
    .optional(),
  /** A reply without References/In-Reply-To joins the sender's thread with the same subject within this many days. */
  subjectThreadingDays: z.number().int().min(0).max(365).default(30),
});
export type EmailConfig = z.infer<typeof emailConfigSchema>;
