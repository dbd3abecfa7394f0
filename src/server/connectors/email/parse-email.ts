import { createHash } from 'node:crypto';
import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { htmlToText } from '../ingestion/html-to-text.ts';
import { stripQuotedText } from './strip-quoted-text.ts';

export type ParseEmailOptions = {
  /** Attachments larger than this keep their name, type and size but not their content. */
  maxAttachmentBytes: number;
  /** The channel's own addresses (lower case): mail from them is a loop. */
  ownAddresses: string[];
};

export type ParsedEmail =
  | {
      kind: 'message';
      post: NormalisedPostInput;
      /** Message-IDs this one answers (References then In-Reply-To), for thread resolution. */
      answers: string[];
      /** The subject without Re:/AW:/Fwd: prefixes, lower case, when it had such a prefix. */
      replySubject: string | null;
    }
  | {
      /** A delivery status notification about a message we sent. */
      kind: 'bounce';
      post: NormalisedPostInput;
      answers: string[];
      originalMessageId: string | null;
    }
  | { kind: 'skip'; messageId: string; reason: string };

const REPLY_PREFIX = /^\s*((re|aw|sv|vs|antw|wg|fw|fwd|tr|rv)(\[\d+\])?\s*:\s*)+/i;

/** The subject without reply/forward prefixes, lower case (for the subject fallback of threading). */
export function threadSubject(subject: string): string {
  return subject.replace(REPLY_PREFIX, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

const ids = (v: string | string[] | undefined): string[] =>
  (Array.isArray(v) ? v : v ? v.split(/\s+/) : []).map((s) => s.trim()).filter((s) => /^<[^<>\s]+>$/.test(s));

function firstAddress(
  a: AddressObject | AddressObject[] | undefined,
): { address: string; name: string } | null {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  for (const o of list)
    for (const v of o.value) if (v.address) return { address: v.address.toLowerCase(), name: v.name };
  return null;
}

function allAddresses(a: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list.flatMap((o) =>
    o.value.map((v) => v.address?.toLowerCase()).filter((x): x is string => Boolean(x)),
  );
}

const header = (m: ParsedMail, name: string): string => {
  const v = m.headers.get(name);
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
  return String(v);
};

/** Header fields of a returned message (text/rfc822-headers or message/rfc822), unfolded. */
function headerFields(raw: string): Map<string, string> {
  const head = raw.replace(/\r\n/g, '\n').split(/\n\n/)[0] ?? '';
  const out = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) {
      const k = line.slice(0, i).trim().toLowerCase();
      if (!out.has(k)) out.set(k, line.slice(i + 1).trim());
    }
  }
  return out;
}

/** Fields of the per-recipient block of a message/delivery-status part (RFC 3464). */
function deliveryStatus(raw: string): {
  recipient?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
} {
  const blocks = raw
    .replace(/\r\n/g, '\n')
    .split(/\n\s*\n/)
    .map(headerFields);
  const r = blocks.find((b) => b.has('final-recipient') || b.has('action')) ?? new Map<string, string>();
  return {
    recipient: r.get('final-recipient')?.replace(/^rfc822;\s*/i, ''),
    action: r.get('action'),
    status: r.get('status'),
    diagnostic: r.get('diagnostic-code')?.replace(/^smtp;\s*/i, ''),
  };
}

function isBounce(m: ParsedMail): boolean {
  const ct = m.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (ct?.value === 'multipart/report' && ct.params?.['report-type']?.toLowerCase() === 'delivery-status')
    return true;
  const from = firstAddress(m.from)?.address ?? '';
  return (
    /^(mailer-daemon|postmaster)@/i.test(from) && m.attachments.some((a) => /rfc822/i.test(a.contentType))
  );
}

/**
 * Parses one raw e-mail (RFC 5322, MIME) into a normalised post, or says why it is skipped.
 * - threading: Message-ID is the external id (a stable hash stands in when it is missing);
 *   `threadKey` is the root of the References chain (else In-Reply-To, else its own id);
 * - the case view gets the new text only (quoted history and signature stripped); the original
 *   text, HTML and headers stay in `raw`;
 * - charsets: mailparser decodes every part and encoded-word header to UTF-8 (iconv-lite);
 * - attachments keep name, type and size, and their content up to `maxAttachmentBytes`;
 * - loop protection: `Auto-Submitted` other than `no` (RFC 3834), `Precedence: bulk|junk|list`,
 *   `X-Autoreply`/`X-Autorespond`, or a sender that is one of our own addresses → skipped;
 * - bounces (RFC 3464 delivery status notifications) come back as `bounce` with the Message-ID
 *   of the message that failed, so they join its case instead of opening a new one.
 */
export async function parseEmail(source: Buffer, opts: ParseEmailOptions): Promise<ParsedEmail> {
  const m = await simpleParser(source, { keepDeliveryStatus: true, skipImageLinks: true });
  const messageId =
    (m.messageId && /^<.+>$/.test(m.messageId) ? m.messageId : null) ??
    `<${createHash('sha256').update(source).digest('hex').slice(0, 40)}@earshot.invalid>`;
  const from = firstAddress(m.from) ?? firstAddress(m.replyTo) ?? { address: 'unknown@invalid', name: '' };
  const references = ids(m.references);
  const inReplyTo = ids(m.inReplyTo)[0];
  const answers = [...new Set([...references, ...(inReplyTo ? [inReplyTo] : [])])];
  const subject = (m.subject ?? '').trim();
  const createdAt = (m.date && Number.isFinite(m.date.getTime()) ? m.date : new Date()).toISOString();
  const originalText = m.text?.trim() || (m.html ? htmlToText(m.html) : '');
  const { attachments, skipped } = keepAttachments(m.attachments, opts.maxAttachmentBytes);
  const raw: Record<string, unknown> = {
    messageId,
    inReplyTo: inReplyTo ?? null,
    references,
    from: from.address,
    fromName: from.name || null,
    to: allAddresses(m.to),
    cc: allAddresses(m.cc),
    subject,
    date: m.date?.toISOString() ?? null,
    originalText,
    ...(m.html ? { html: m.html.slice(0, 500_000) } : {}),
    headers: Object.fromEntries(
      ['auto-submitted', 'precedence', 'list-id', 'return-path', 'reply-to', 'x-mailer', 'content-language']
        .map((h) => [h, header(m, h)])
        .filter(([, v]) => v),
    ),
    ...(skipped.length ? { attachmentsNotStored: skipped } : {}),
  };
  const author = {
    externalId: from.address,
    handle: from.address,
    displayName: from.name || undefined,
    email: from.address,
  };
  const base = {
    channel: 'email',
    externalId: messageId,
    author,
    title: subject || undefined,
    createdAt,
    direction: 'inbound' as const,
    isPrivate: true,
    toBrand: true,
    inReplyTo,
    attachments,
    raw,
  };

  if (isBounce(m)) {
    const statusPart = m.attachments.find((a) => a.contentType === 'message/delivery-status');
    const returned = m.attachments.find((a) =>
      /^(message\/rfc822|text\/rfc822-headers)$/i.test(a.contentType),
    );
    const dsn = statusPart ? deliveryStatus(statusPart.content.toString('utf8')) : {};
    const original = returned ? headerFields(returned.content.toString('utf8')) : new Map<string, string>();
    const originalMessageId = ids(original.get('message-id'))[0] ?? null;
    const originalRefs = ids(original.get('references'));
    const originalInReplyTo = ids(original.get('in-reply-to'))[0];
    const bounceAnswers = [
      ...new Set([
        ...originalRefs,
        ...(originalInReplyTo ? [originalInReplyTo] : []),
        ...(originalMessageId ? [originalMessageId] : []),
      ]),
    ];
    const what = dsn.recipient ? `to ${dsn.recipient}` : '';
    const text =
      `Delivery ${dsn.action ?? 'failed'} ${what}${dsn.status ? ` (status ${dsn.status})` : ''}${dsn.diagnostic ? `: ${dsn.diagnostic}` : ''}`
        .replace(/\s+/g, ' ')
        .trim();
    return {
      kind: 'bounce',
      originalMessageId,
      answers: bounceAnswers,
      post: {
        ...base,
        text,
        inReplyTo: originalMessageId ?? undefined,
        raw: {
          ...raw,
          bounce: { ...dsn, originalMessageId, originalSubject: original.get('subject') ?? null },
        },
      },
    };
  }

  const autoSubmitted = header(m, 'auto-submitted').toLowerCase();
  if (autoSubmitted && !autoSubmitted.startsWith('no'))
    return { kind: 'skip', messageId, reason: `automatic reply (Auto-Submitted: ${autoSubmitted})` };
  const precedence = header(m, 'precedence').toLowerCase();
  if (['bulk', 'junk', 'list', 'auto_reply'].includes(precedence))
    return { kind: 'skip', messageId, reason: `bulk mail (Precedence: ${precedence})` };
  if (header(m, 'x-autoreply') || header(m, 'x-autorespond'))
    return { kind: 'skip', messageId, reason: 'automatic reply (X-Autoreply)' };
  if (opts.ownAddresses.includes(from.address))
    return { kind: 'skip', messageId, reason: `sent from our own address ${from.address} (loop)` };

  const text = stripQuotedText(originalText);
  return {
    kind: 'message',
    answers,
    replySubject: REPLY_PREFIX.test(subject) ? threadSubject(subject) : null,
    post: {
      ...base,
      text: text.slice(0, 200_000),
      threadKey: (references[0] ?? inReplyTo ?? messageId).slice(0, 1024),
    },
  };
}

function keepAttachments(list: Attachment[], maxBytes: number) {
  const attachments: NonNullable<NormalisedPostInput['attachments']> = [];
  const skipped: { filename: string | null; contentType: string; size: number; reason: string }[] = [];
  for (const a of list) {
    if (a.contentType === 'message/delivery-status') continue;
    const meta = {
      filename: a.filename?.slice(0, 512),
      contentType: a.contentType.slice(0, 256),
      size: a.size,
    };
    if (a.size > maxBytes) {
      attachments.push(meta);
      skipped.push({
        filename: a.filename ?? null,
        contentType: a.contentType,
        size: a.size,
        reason: `larger than ${maxBytes} bytes`,
      });
    } else attachments.push({ ...meta, contentBase64: a.content.toString('base64') });
  }
  return { attachments: attachments.slice(0, 50), skipped };
}
