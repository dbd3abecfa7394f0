import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import type { ChannelScheduler } from '../ingestion/channel-scheduler.ts';
import {
  channelRow,
  createChannel,
  postsOf,
  setUpBrand,
  startSmtpSink,
  useFastScheduler,
  waitFor,
} from '../testing/connector-test-kit.ts';
import { type Dovecot, freePort, startDovecot } from '../testing/start-dovecot.ts';
import { craftBounce, craftEmail } from './email-fixtures.ts';

type Health = {
  status: string;
  lastError?: string;
  consecutiveFailures?: number;
  dropped?: number;
  received?: number;
};

describe.each(drivers)('e-mail channel over IMAP (dovecot) and SMTP on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let dovecot: Dovecot;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let auth: Record<string, string>;
  let channelId: string;

  const append = async (raw: Buffer) => {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.port,
      secure: false,
      auth: { user: dovecot.user, pass: dovecot.password },
      logger: false,
    });
    await c.connect();
    try {
      await c.append('INBOX', raw);
    } finally {
      await c.logout();
    }
  };
  const stored = (externalId: string) =>
    waitFor(`post ${externalId} processed`, async () => {
      const p = (await postsOf(t, 'email')).find((x) => x.externalId === externalId);
      return p?.processedAt ? p : null;
    });
  const health = async () => (await channelRow(t, channelId)).health as unknown as Health;

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t);
    scheduler = await useFastScheduler(t);
    dovecot = await startDovecot();
    sink = await startSmtpSink();
    channelId = await createChannel(t, auth, {
      type: 'email',
      name: 'Care mailbox',
      config: {
        address: 'care@northwind.example',
        imap: { host: '127.0.0.1', port: dovecot.port, secure: false, user: dovecot.user, pollSeconds: 3600 },
        smtp: { host: '127.0.0.1', port: sink.port },
      },
      secrets: { imapPassword: dovecot.password },
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await dovecot?.close();
    await sink?.close();
    await t?.close();
  });

  it('turns new mail into a case, replies with In-Reply-To/References, and threads answers, bounces and Re: subjects into it', async () => {
    const c1 = `<c1-${driver}@customer.example>`;
    await append(craftEmail({ messageId: c1 }));
    const first = await stored(c1);
    expect(first).toMatchObject({
      channelId,
      toBrand: true,
      isPrivate: true,
      title: 'My internet is down',
      threadKey: c1,
    });
    expect(first.caseId).toBeTruthy();

    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${first.caseId}/replies`,
      headers: auth,
      payload: { mode: 'email', text: 'Sorry about that! A technician is on the way.' },
    });
    expect(reply.statusCode, reply.body).toBeLessThan(300);
    const sent = await waitFor('reply delivered to SMTP', () => sink.messages[0]);
    const mail = await simpleParser(sent.raw);
    expect(sent.envelope.to).toEqual(['jane@customer.example']);
    expect(mail.from?.value[0]?.address).toBe('care@northwind.example');
    expect(mail.inReplyTo).toBe(c1);
    expect([mail.references].flat()).toContain(c1);
    expect(mail.subject).toBe('Re: My internet is down');
    expect(mail.text?.trim()).toBe('Sorry about that! A technician is on the way.');
    const ours = mail.messageId!;

    // The customer answers our reply: In-Reply-To is our Message-ID.
    const c2 = `<c2-${driver}@customer.example>`;
    await append(
      craftEmail({
        messageId: c2,
        inReplyTo: ours,
        references: [c1, ours],
        subject: 'Re: My internet is down',
        body: `Thanks, when?\n\nOn Mon, 6 May 2024, Northwind Care wrote:\n> Sorry about that!`,
      }),
    );
    const second = await stored(c2);
    expect(second.caseId).toBe(first.caseId);
    expect(second.text).toBe('Thanks, when?');

    // A client that drops the threading headers: the "Re:" subject from the same sender joins.
    const c3 = `<c3-${driver}@customer.example>`;
    await append(craftEmail({ messageId: c3, subject: 'RE: My internet is down', body: 'Any update?' }));
    expect((await stored(c3)).caseId).toBe(first.caseId);

    // A bounce of our reply joins the case; an auto-reply and a bounce about mail we never sent are dropped.
    const droppedBefore = (await health()).dropped ?? 0;
    await append(
      craftEmail({
        messageId: `<ooo-${driver}@customer.example>`,
        subject: 'Out of office',
        headers: { 'Auto-Submitted': 'auto-replied' },
      }),
    );
    await append(
      craftBounce({
        originalMessageId: `<never-${driver}@northwind.example>`,
        recipient: 'x@y.example',
        messageId: `<dsn0-${driver}@mx>`,
      }),
    );
    const bounceId = `<dsn1-${driver}@mx>`;
    await append(
      craftBounce({
        originalMessageId: ours,
        originalReferences: [c1],
        recipient: 'jane@customer.example',
        messageId: bounceId,
      }),
    );
    const bounce = await stored(bounceId);
    expect(bounce.caseId).toBe(first.caseId);
    expect(bounce.text).toMatch(/Delivery failed to jane@customer\.example/);
    expect((await health()).dropped).toBe(droppedBefore + 2);
    const emailPosts = await postsOf(t, 'email');
    expect(
      emailPosts.some((p) => p.externalId.startsWith('<ooo-') || p.externalId.startsWith('<dsn0-')),
    ).toBe(false);

    const detail = (
      await t.app.inject({ method: 'GET', url: `/api/v1/cases/${first.caseId}`, headers: auth })
    ).json();
    expect(detail.id).toBe(first.caseId);
  });

  it('resumes from the UID cursor after a restart (no duplicate, no gap) and picks up new mail through IDLE', async () => {
    const before = await postsOf(t, 'email');
    await scheduler.stop();
    const d1 = `<d1-${driver}@customer.example>`;
    const d2 = `<d2-${driver}@customer.example>`;
    await append(craftEmail({ messageId: d1, from: 'bob@customer.example', subject: 'Bill too high' }));
    await append(craftEmail({ messageId: d2, from: 'carol@customer.example', subject: 'Modem broken' }));
    scheduler = await useFastScheduler(t);
    await stored(d1);
    await stored(d2);
    const after = await postsOf(t, 'email');
    expect(after.length).toBe(before.length + 2);
    const cursor = (await channelRow(t, channelId)).cursor as { uidValidity: string; lastUid: number };
    expect(cursor.lastUid).toBe(8);
    expect(cursor.uidValidity).toMatch(/^\d+$/);

    // pollSeconds is an hour: only IDLE can deliver this one promptly.
    const live = `<live-${driver}@customer.example>`;
    await append(craftEmail({ messageId: live, from: 'dan@customer.example', subject: 'Outage?' }));
    await stored(live);
  });

  it('backs off while the IMAP server is down, shows it in health, and recovers', async () => {
    await dovecot.stop();
    const down = await waitFor('IMAP failure in health', async () => {
      const h = await health();
      return h.status === 'error' && (h.consecutiveFailures ?? 0) >= 2 ? h : null;
    });
    expect(down.lastError).toMatch(/ECONNREFUSED|closed|connect/i);
    await dovecot.start();
    const back = `<back-${driver}@customer.example>`;
    await append(craftEmail({ messageId: back, from: 'erin@customer.example', subject: 'Hello again' }));
    await stored(back);
    await waitFor('health ok', async () => (await health()).status === 'ok');
  });
});

describe.each(drivers)('e-mail channel over the built-in SMTP listener on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp(driver);
    const auth = await setUpBrand(t);
    scheduler = await useFastScheduler(t);
    port = await freePort();
    await createChannel(t, auth, {
      type: 'email',
      name: 'Inbound SMTP',
      config: {
        address: 'care@northwind.example',
        smtpListener: { host: '127.0.0.1', port, maxBytes: 64 * 1024 },
      },
      secrets: { smtpListenerPassword: 'listener-secret' },
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await t?.close();
  });

  const transport = (pass: string) =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port,
      secure: false,
      ignoreTLS: true,
      auth: { user: 'mta', pass },
    });

  it('accepts authenticated mail only after it is stored, refuses bad credentials and oversized mail', async () => {
    const listening = () =>
      waitFor('listener up', async () => {
        try {
          await transport('listener-secret').verify();
          return true;
        } catch {
          return false;
        }
      });
    await listening();
    const id = `<s1-${driver}@customer.example>`;
    await transport('listener-secret').sendMail({
      envelope: { from: 'jane@customer.example', to: ['care@northwind.example'] },
      raw: craftEmail({ messageId: id }),
    });
    // 250 came back: the post is already stored.
    expect((await postsOf(t, 'email')).some((p) => p.externalId === id)).toBe(true);

    await expect(
      transport('wrong').sendMail({
        envelope: { from: 'x@y.example', to: ['care@northwind.example'] },
        raw: craftEmail({ messageId: '<s2@x>' }),
      }),
    ).rejects.toThrow(/Invalid username or password|535/);
    const big = craftEmail({ messageId: '<s3@x>', body: 'x'.repeat(100 * 1024) });
    await expect(
      transport('listener-secret').sendMail({
        envelope: { from: 'x@y.example', to: ['care@northwind.example'] },
        raw: big,
      }),
    ).rejects.toThrow(/552|exceeds/i);
  });
});
