import nodemailer from 'nodemailer';
import { secretOf } from '../ingestion/channel-config-base.ts';
import { ChannelConfigError } from '../ingestion/reader.ts';
import type { Sender } from '../registry.ts';
import { emailConfigSchema } from './email-config.ts';

type EmailTarget = { email?: string; subject?: string; inReplyToMessageId?: string; references?: string[] };

/**
 * Sends a reply over SMTP (nodemailer) so the customer's client threads it: `In-Reply-To` is
 * the customer's message, `References` its chain plus that message (RFC 5322 §3.6.4). The
 * Message-ID is derived from the outbox item, so a retried delivery carries the same id and
 * the receiving side sees one message, not two.
 */
export const sendEmail: Sender = async (item, channel) => {
  if (!channel) throw new ChannelConfigError('no e-mail channel is configured');
  const config = emailConfigSchema.parse(channel.config);
  if (!config.smtp)
    throw new ChannelConfigError(`the e-mail channel ${channel.name} has no smtp settings to send with`);
  const from = config.address ?? config.smtp.user;
  if (!from?.includes('@'))
    throw new ChannelConfigError(`the e-mail channel ${channel.name} needs config.address`);
  const target = item.target as EmailTarget;
  if (!target.email) throw new Error('the reply has no recipient address');
  const domain = from.split('@')[1]!;
  const messageId = `<earshot.${item.id}@${domain}>`;
  const references = [
    ...new Set([
      ...(target.references ?? []),
      ...(target.inReplyToMessageId ? [target.inReplyToMessageId] : []),
    ]),
  ];
  const transport = nodemailer.createTransport({
    host: config.smtp.host,
    port: config.smtp.port,
    secure: config.smtp.secure,
    requireTLS: config.smtp.requireTLS,
    ignoreTLS: !config.smtp.requireTLS && !config.smtp.secure && config.smtp.host === '127.0.0.1',
    ...(config.smtp.user
      ? { auth: { user: config.smtp.user, pass: secretOf(channel.secrets, 'smtpPassword', 'email') } }
      : {}),
  });
  try {
    await transport.sendMail({
      from,
      to: target.email,
      subject: target.subject ?? 'Your message',
      text: item.text,
      messageId,
      ...(target.inReplyToMessageId ? { inReplyTo: target.inReplyToMessageId } : {}),
      ...(references.length ? { references } : {}),
      headers: item.caseId ? { 'X-Earshot-Case': item.caseId } : {},
    });
  } finally {
    transport.close();
  }
  return { externalId: messageId };
};
