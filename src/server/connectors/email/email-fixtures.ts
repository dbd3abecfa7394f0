// Crafted e-mails for the tests (synthetic; the real ones are read from ../shared/data/email).

export type MailSpec = {
  from?: string;
  to?: string;
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  date?: string;
  headers?: Record<string, string>;
  body?: string;
};

/** A plain text/plain UTF-8 e-mail with the given headers, CRLF line ends. */
export function craftEmail(s: MailSpec): Buffer {
  const lines = [
    `From: ${s.from ?? 'Jane Customer <jane@customer.example>'}`,
    `To: ${s.to ?? 'Northwind Care <care@northwind.example>'}`,
    `Subject: ${s.subject ?? 'My internet is down'}`,
    `Date: ${s.date ?? 'Mon, 06 May 2024 09:00:00 +0000'}`,
    ...(s.messageId ? [`Message-ID: ${s.messageId}`] : []),
    ...(s.inReplyTo ? [`In-Reply-To: ${s.inReplyTo}`] : []),
    ...(s.references?.length ? [`References: ${s.references.join(' ')}`] : []),
    ...Object.entries(s.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    ...(s.body ?? 'Hello, my internet has been down since this morning. Please help.').split('\n'),
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** An RFC 3464 delivery status notification about `original` (its headers returned). */
export function craftBounce(opts: {
  originalMessageId: string;
  originalReferences?: string[];
  recipient: string;
  messageId: string;
}): Buffer {
  const b = 'dsn-boundary-42';
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.northwind.example>',
      'To: care@northwind.example',
      'Subject: Undelivered Mail Returned to Sender',
      'Date: Mon, 06 May 2024 10:00:00 +0000',
      `Message-ID: ${opts.messageId}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
      '',
      `--${b}`,
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'I could not deliver your message to one or more recipients.',
      '',
      `--${b}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.northwind.example',
      '',
      `Final-Recipient: rfc822; ${opts.recipient}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <' + opts.recipient + '>: Recipient address rejected: User unknown',
      '',
      `--${b}`,
      'Content-Type: text/rfc822-headers',
      '',
      'From: care@northwind.example',
      `To: ${opts.recipient}`,
      'Subject: Re: My internet is down',
      `Message-ID: ${opts.originalMessageId}`,
      ...(opts.originalReferences?.length ? [`References: ${opts.originalReferences.join(' ')}`] : []),
      '',
      `--${b}--`,
      '',
    ].join('\r\n'),
  );
}
