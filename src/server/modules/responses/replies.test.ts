import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { findPii } from '../intelligence/index.ts';
import { sharedDataPath } from '../listening/read-shared-data.ts';

type Conversation = {
  dialogContent: { client?: string; message?: string }[];
  dialogHeader: { company: string };
};

/** Real customer messages from ../shared/data in which customers exposed an e-mail address publicly. */
function realMessagesWithEmail(): string[] {
  const data = JSON.parse(
    readFileSync(sharedDataPath('care-conversations-dev.json'), 'utf8'),
  ) as Conversation[];
  return data
    .flatMap((c) => c.dialogContent.filter((m) => m.client && m.message).map((m) => m.message!))
    .filter((m) => /[\w.+-]+@[\w-]+\.[a-z]{2,}/i.test(m));
}

describe.each(drivers)('replies on or off channel on %s', (driver) => {
  let t: Care;
  let agent: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    agent = await t.as('agent', { name: 'Maria Agent' });
  });
  afterAll(async () => {
    await t?.close();
  });

  const newCase = async (over: Parameters<Care['ingest']>[0] = {}) => {
    const [p] = await t.ingest(over);
    return t.caseOf(p!.externalId);
  };

  it('queues public, private and e-mail replies through the outbox, saying where each goes', async () => {
    const caseId = await newCase({
      author: { externalId: 'dest-1', handle: 'jane', email: 'jane@example.org' },
      url: 'https://sandbox.example/p/1',
    });
    const pub = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      text: 'Sorry to hear that! Looking now.',
    });
    expect(pub.status).toBe(202);
    expect(pub.body.destination).toMatchObject({ handle: 'jane', url: 'https://sandbox.example/p/1' });
    expect(pub.body.destination.inReplyTo).toBeTruthy();
    const dm = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'private',
      text: 'Could you send your account number here?',
    });
    expect(dm.body.destination).toMatchObject({ handle: 'jane' });
    expect(dm.body.destination.inReplyTo).toBeUndefined();
    const mail = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'email',
      text: 'Details by e-mail as promised.',
    });
    expect(mail.status).toBe(202);
    expect(mail.body.destination).toMatchObject({ email: 'jane@example.org' });
    await t.deliver();
    const outbox = (await agent.call('GET', '/api/v1/channels/sandbox/outbox')).body.items.filter(
      (o: { caseId: string }) => o.caseId === caseId,
    );
    expect(outbox.map((o: { mode: string }) => o.mode).sort()).toEqual(['email', 'private', 'public']);
    const c = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body;
    expect(c.status).toBe('pending');
    expect(
      c.timeline.filter(
        (e: { kind: string; delivery: { status: string } | null }) =>
          e.kind === 'outbound' && e.delivery?.status === 'sent',
      ),
    ).toHaveLength(3);
    const noMail = await agent.call('POST', `/api/v1/cases/${await newCase()}/replies`, {
      mode: 'email',
      text: 'hello',
    });
    expect(noMail.status).toBe(400);
    expect(noMail.body.error.code).toBe('no_email');
  });

  it('a retried reply with the same idempotencyKey appears once in the sandbox outbox', async () => {
    const caseId = await newCase();
    const body = { mode: 'public', text: 'We are on it — retried once', idempotencyKey: 'client-key-42' };
    const first = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, body);
    const second = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    await t.deliver();
    const third = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, body);
    expect(third.body).toMatchObject({ id: first.body.id, duplicate: true, status: 'sent' });
    await t.deliver();
    const items = (await agent.call('GET', '/api/v1/channels/sandbox/outbox')).body.items.filter(
      (o: { text: string }) => o.text === body.text,
    );
    expect(items).toHaveLength(1);
    expect(items[0].caseId).toBe(caseId);
  });

  it('never echoes PII into a public reply: account, phone, card numbers and e-mail addresses are refused, private allowed', async () => {
    await (await t.as('manager')).call('PUT', '/api/v1/customer-accounts', {
      accounts: [
        { accountNumber: '88123456', name: 'Pat Doe', phone: '+1 (555) 010-7788', email: 'pat@doe.example' },
      ],
    });
    const caseId = await newCase({ author: { externalId: 'pii-1', handle: 'patdoe' } });
    const c = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body;
    expect(
      (
        await agent.call('POST', `/api/v1/people/${c.personId}/links`, {
          accountNumber: '88123456',
          method: 'agent',
          reason: 'customer confirmed in DM',
        })
      ).status,
    ).toBe(201);
    for (const text of [
      'Thanks Pat, I found account 88123456 and fixed it',
      'We will call you on 555 010 7788 today',
      'Write to us from pat@doe.example please',
      'Your card 4111 1111 1111 1111 was refunded',
      'Call us at +44 20 7946 0958',
    ]) {
      const res = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, { mode: 'public', text });
      expect(res.status, text).toBe(400);
      expect(res.body.error.code).toBe('pii_in_public_reply');
      expect(JSON.stringify(res.body)).not.toMatch(/88123456|010.7788|pat@doe|4111|7946/);
    }
    const priv = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'private',
      text: 'I found account 88123456 and fixed it',
    });
    expect(priv.status).toBe(202);
    const ok = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      text: 'All fixed on our side, enjoy your evening!',
    });
    expect(ok.status).toBe(202);
  });

  it('refuses public replies quoting real customer posts that exposed an e-mail address (../shared/data)', async () => {
    const messages = realMessagesWithEmail();
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const [i, message] of messages.slice(0, 5).entries()) {
      // Whether triage deems the post actionable or not, an agent can turn it into a case by its URL.
      const url = `https://sandbox.example/real/${i}`;
      await t.ingest({
        text: `@northwindcares ${message}`,
        url,
        author: { externalId: `real-${i}`, handle: `real${i}` },
      });
      const handover = await agent.call('POST', '/api/v1/handovers', { url });
      expect(handover.body.case.channel).toBe('sandbox');
      const echoed = await agent.call('POST', `/api/v1/cases/${handover.body.case.id}/replies`, {
        mode: 'public',
        text: `Thanks! You wrote: "${message.slice(0, 400)}"`,
      });
      expect(echoed.status, message).toBe(400);
      expect(echoed.body.error.code).toBe('pii_in_public_reply');
      expect(findPii(message).some((p) => p.kind === 'email')).toBe(true);
      for (const p of findPii(message))
        expect(JSON.stringify(echoed.body)).not.toContain(message.slice(p.start, p.end));
    }
  });

  it('moves a conversation to private: a short public reply plus the private message, once per key', async () => {
    const caseId = await newCase();
    const body = {
      text: 'Hi! Please share your account number here so we can check.',
      idempotencyKey: 'move-1',
    };
    const res = await agent.call('POST', `/api/v1/cases/${caseId}/move-private`, body);
    expect(res.status).toBe(202);
    expect(res.body.public.mode).toBe('public');
    expect(res.body.private.mode).toBe('private');
    expect((await agent.call('POST', `/api/v1/cases/${caseId}/move-private`, body)).status).toBe(200);
    await t.deliver();
    const mine = (await agent.call('GET', '/api/v1/channels/sandbox/outbox')).body.items.filter(
      (o: { caseId: string }) => o.caseId === caseId,
    );
    expect(mine.map((o: { mode: string }) => o.mode).sort()).toEqual(['private', 'public']);
  });

  it('templates with variables: CRUD (managers), render for a case, reply from a template, unknown variables refused', async () => {
    const manager = await t.as('manager');
    const bad = await manager.call('POST', '/api/v1/templates', {
      name: 'Broken',
      body: 'Hi {{customer.nmae}}',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/customer\.nmae/);
    const created = await manager.call('POST', '/api/v1/templates', {
      name: 'Outage apology',
      body: 'Hi {{customer.firstName}}, {{agent.firstName}} here (case {{case.number}}). {{brand.name}} is on it.',
      channels: ['sandbox', 'x'],
      modes: ['public'],
    });
    expect(created.status).toBe(201);
    expect(created.body.variables).toEqual([
      'customer.firstName',
      'agent.firstName',
      'case.number',
      'brand.name',
    ]);
    expect((await agent.call('POST', '/api/v1/templates', { name: 'x', body: 'y' })).status).toBe(403);
    expect((await agent.call('GET', '/api/v1/templates?channel=email')).body.items).toHaveLength(0);
    expect((await agent.call('GET', '/api/v1/templates?channel=x&mode=public')).body.items).toHaveLength(1);

    const caseId = await newCase({
      author: { externalId: 'tpl-1', handle: 'dana', displayName: 'Dana Scully' },
    });
    const number = (await agent.call('GET', `/api/v1/cases/${caseId}`)).body.number;
    const rendered = await agent.call('POST', `/api/v1/templates/${created.body.id}/render`, { caseId });
    expect(rendered.body).toMatchObject({
      text: `Hi Dana, Maria here (case ${number}). Northwind is on it.`,
      fits: true,
      limit: null,
    });
    const sent = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      templateId: created.body.id,
    });
    expect(sent.status).toBe(202);
    expect(sent.body.text).toBe(rendered.body.text);

    const renamed = await manager.call('PATCH', `/api/v1/templates/${created.body.id}`, {
      name: 'Outage apology v2',
    });
    expect(renamed.body.name).toBe('Outage apology v2');
    expect((await manager.call('DELETE', `/api/v1/templates/${created.body.id}`)).status).toBe(204);
    expect((await agent.call('GET', `/api/v1/templates/${created.body.id}`)).status).toBe(404);
  });

  it('enforces per-channel length limits on public replies', async () => {
    const [p] = await t.ingest({
      channel: 'x',
      text: '@northwindcares my tv has no signal',
      author: { externalId: 'x-1', handle: 'xuser' },
    });
    const caseId = await t.caseOf(p!.externalId, 'x');
    const long = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      text: 'a'.repeat(281),
    });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'reply_too_long', details: { limit: 280, length: 281 } });
  });

  it('requires credentials and the right role, and names bad fields', async () => {
    const caseId = await newCase();
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/cases/${caseId}/replies`,
          payload: { mode: 'public', text: 'x' },
        })
      ).statusCode,
    ).toBe(401);
    const contributor = await t.as('contributor');
    expect(
      (await contributor.call('POST', `/api/v1/cases/${caseId}/replies`, { mode: 'public', text: 'x' }))
        .status,
    ).toBe(403);
    expect((await contributor.call('GET', '/api/v1/templates')).status).toBe(403);
    const bad = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, { mode: 'fax', text: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/mode/);
    const none = await agent.call('POST', `/api/v1/cases/${caseId}/replies`, { mode: 'public' });
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/text/);
  });
});
