import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../testing/connector-test-kit.ts';
import { craftBounce, craftEmail } from './email-fixtures.ts';
import { parseEmail, threadSubject } from './parse-email.ts';
import { stripQuotedText } from './strip-quoted-text.ts';

const opts = { maxAttachmentBytes: 10_000, ownAddresses: ['care@northwind.example'] };
const eml = (name: string) => readFileSync(sharedDataFile('email', name));

describe('parseEmail (real messages)', () => {
  it('reads a Gmail-received multipart: unicode subject, sender, body, attachments with a size limit', async () => {
    const r = await parseEmail(eml('gmail-received.eml'), opts);
    if (r.kind !== 'message') throw new Error(`expected a message, got ${r.kind}`);
    const p = r.post;
    expect(p.externalId).toBe('<012d606e-3550-2d94-b566-6cd996de88e3@kreata.ee>');
    expect(p.threadKey).toBe(p.externalId);
    expect(p.title).toBe('Nodemailer is unicode friendly ✔ (1476358788189)');
    expect(p.author).toMatchObject({
      externalId: 'andris@kreata.ee',
      handle: 'andris@kreata.ee',
      displayName: 'Andris Kreata',
      email: 'andris@kreata.ee',
    });
    expect(p.text).toBe('Hello to myself!');
    expect(p.createdAt).toBe('2016-10-13T11:39:48.000Z');
    const files = Object.fromEntries((p.attachments ?? []).map((a) => [a.filename, a]));
    expect(files['image.png']).toMatchObject({ contentType: 'image/png', size: 126 });
    expect(Buffer.from(files['image.png']!.contentBase64!, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect(files['notes.txt']!.contentBase64).toBeDefined();
    // Over the limit: name, type and size kept, content not stored.
    expect(files['nyan cat ✔.gif']).toMatchObject({ contentType: 'image/gif', size: 29361 });
    expect(files['nyan cat ✔.gif']!.contentBase64).toBeUndefined();
    expect((p.raw as { attachmentsNotStored: unknown[] }).attachmentsNotStored).toHaveLength(1);
    expect((p.raw as { to: string[] }).to).toContain('andris.reinman@gmail.com');
  });

  it('reads nested multipart/related/alternative and mixed multiparts without headers it relies on', async () => {
    const nested = await parseEmail(eml('nested-multipart.eml'), opts);
    if (nested.kind !== 'message') throw new Error('expected a message');
    expect(nested.post.text).toContain('Dear Sir,');
    expect(nested.post.author.externalId).toBe('u@example.com');
    // No Message-ID: a stable id from the content, so re-reading never duplicates.
    expect(nested.post.externalId).toMatch(/^<[0-9a-f]{40}@earshot\.invalid>$/);
    expect(
      (await parseEmail(eml('nested-multipart.eml'), opts)).kind === 'message' && nested.post.externalId,
    ).toBe(nested.post.externalId);

    const mixed = await parseEmail(eml('mixed-multipart.eml'), opts);
    if (mixed.kind !== 'message') throw new Error('expected a message');
    expect(mixed.post.text).toContain('Good Morning;');
  });
});

describe('parseEmail (crafted)', () => {
  it('decodes non-UTF-8 charsets in headers and bodies', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(
        'From: =?ISO-8859-1?Q?J=FCrgen_M=FCller?= <jm@kunde.example>\r\nTo: care@northwind.example\r\nSubject: =?ISO-8859-1?Q?Rechnung_f=FCr_M=E4rz?=\r\nMessage-ID: <l1@kunde.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nSehr geehrte Damen und Herren, die Rechnung f=FCr M=E4rz ist zu hoch. Gr=FC=DFe\r\n',
      ),
    ]);
    const a = await parseEmail(latin1, opts);
    if (a.kind !== 'message') throw new Error('expected a message');
    expect(a.post.title).toBe('Rechnung für März');
    expect(a.post.author.displayName).toBe('Jürgen Müller');
    expect(a.post.text).toContain('die Rechnung für März ist zu hoch. Grüße');

    const koi8 = Buffer.concat([
      Buffer.from(
        'From: ivan@klient.example\r\nSubject: =?KOI8-R?B?8NLJ18XU?=\r\nMessage-ID: <k1@klient.example>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=KOI8-R\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
      ),
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4, 0x0d, 0x0a]),
    ]);
    const k = await parseEmail(koi8, opts);
    if (k.kind !== 'message') throw new Error('expected a message');
    expect(k.post.title).toBe('Привет');
    expect(k.post.text).toBe('Привет');

    const cp1252 = Buffer.concat([
      Buffer.from(
        'From: a@b.example\r\nSubject: Refund\r\nMessage-ID: <w1@b.example>\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\n',
      ),
      Buffer.from([0x93, 0x35, 0x30, 0x20, 0x80, 0x94]),
    ]);
    const w = await parseEmail(cp1252, opts);
    expect(w.kind === 'message' && w.post.text).toBe('“50 €”');
  });

  it('threads by References root, then In-Reply-To, and keeps the original text in raw', async () => {
    const r = await parseEmail(
      craftEmail({
        messageId: '<c3@customer.example>',
        inReplyTo: '<earshot.1@northwind.example>',
        references: ['<c1@customer.example>', '<earshot.1@northwind.example>'],
        subject: 'Re: AW: My internet is down',
        body: 'Still down.\n\nOn Mon, 6 May 2024 at 10:00, Northwind Care <care@northwind.example> wrote:\n> We are looking into it.\n> Thanks',
      }),
      opts,
    );
    if (r.kind !== 'message') throw new Error('expected a message');
    expect(r.post.threadKey).toBe('<c1@customer.example>');
    expect(r.post.inReplyTo).toBe('<earshot.1@northwind.example>');
    expect(r.answers).toEqual(['<c1@customer.example>', '<earshot.1@northwind.example>']);
    expect(r.replySubject).toBe('my internet is down');
    expect(r.post.text).toBe('Still down.');
    expect((r.post.raw as { originalText: string }).originalText).toContain('We are looking into it.');
    expect((r.post.raw as { references: string[] }).references).toHaveLength(2);

    const onlyInReplyTo = await parseEmail(
      craftEmail({ messageId: '<c4@x>', inReplyTo: '<c1@customer.example>' }),
      opts,
    );
    expect(onlyInReplyTo.kind === 'message' && onlyInReplyTo.post.threadKey).toBe('<c1@customer.example>');
  });

  it('skips auto-replies, bulk mail and our own messages (loop protection)', async () => {
    const auto = await parseEmail(
      craftEmail({
        messageId: '<o1@x>',
        headers: { 'Auto-Submitted': 'auto-replied' },
        subject: 'Out of office',
      }),
      opts,
    );
    expect(auto).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/Auto-Submitted/) });
    const bulk = await parseEmail(craftEmail({ messageId: '<o2@x>', headers: { Precedence: 'bulk' } }), opts);
    expect(bulk).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/Precedence: bulk/) });
    const own = await parseEmail(
      craftEmail({ messageId: '<o3@x>', from: 'Care <CARE@northwind.example>' }),
      opts,
    );
    expect(own).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/own address/) });
    const human = await parseEmail(
      craftEmail({ messageId: '<o4@x>', headers: { 'Auto-Submitted': 'no' } }),
      opts,
    );
    expect(human.kind).toBe('message');
  });

  it('recognises a delivery status notification and the message it is about', async () => {
    const r = await parseEmail(
      craftBounce({
        originalMessageId: '<earshot.9@northwind.example>',
        originalReferences: ['<c1@customer.example>'],
        recipient: 'gone@customer.example',
        messageId: '<dsn1@mx>',
      }),
      opts,
    );
    if (r.kind !== 'bounce') throw new Error(`expected a bounce, got ${r.kind}`);
    expect(r.originalMessageId).toBe('<earshot.9@northwind.example>');
    expect(r.answers).toEqual(['<c1@customer.example>', '<earshot.9@northwind.example>']);
    expect(r.post.text).toMatch(/Delivery failed to gone@customer\.example \(status 5\.1\.1\): 550 5\.1\.1/);
    expect(r.post.raw).toMatchObject({
      bounce: { action: 'failed', status: '5.1.1', recipient: 'gone@customer.example' },
    });
  });
});

describe('stripQuotedText', () => {
  it('removes quoted history, attribution lines, Outlook headers and signatures', () => {
    expect(stripQuotedText('Thanks, works now!\n\n-- \nJane Doe\nACME Corp')).toBe('Thanks, works now!');
    expect(
      stripQuotedText(
        'Danke!\n\nAm 06.05.2024 um 10:00 schrieb Northwind Care <care@northwind.example>:\n> Bitte neu starten',
      ),
    ).toBe('Danke!');
    expect(
      stripQuotedText(
        'Yes please.\n\nFrom: Northwind Care <care@northwind.example>\nSent: Monday, May 6, 2024 10:00\nTo: Jane\nSubject: RE: x\n\nold text',
      ),
    ).toBe('Yes please.');
    expect(stripQuotedText('On it.\nSent from my iPhone')).toBe('On it.');
    expect(stripQuotedText('A\n-----Original Message-----\nB')).toBe('A');
    expect(stripQuotedText('> only quoted\n> text')).toBe('> only quoted\n> text');
    expect(stripQuotedText('From: the start of my story, the router broke.')).toBe(
      'From: the start of my story, the router broke.',
    );
  });

  it('normalises reply subjects for the subject fallback', () => {
    expect(threadSubject('Re: AW: Fwd:  My   Bill')).toBe('my bill');
    expect(threadSubject('RE[2]: My bill')).toBe('my bill');
  });
});
