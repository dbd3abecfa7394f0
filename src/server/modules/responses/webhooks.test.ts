import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/db/platform.schema.ts';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { deliverDueWebhooks, eventMatches, signWebhook, webhookBackoffMs } from './deliver-webhooks.ts';

type Received = { headers: IncomingHttpHeaders; body: string };

/** A local receiver that answers with the queued statuses (then 200) and records every call. */
function receiver() {
  const calls: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  return {
    calls,
    statuses,
    start: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () =>
          r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
        ),
      ),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.each(drivers)('outgoing webhooks on %s', (driver) => {
  let t: Care;
  let agent: Caller;
  const rx = receiver();
  let url: string;

  beforeAll(async () => {
    t = await createCareApp(driver);
    agent = await t.as('agent');
    url = await rx.start();
  });
  afterAll(async () => {
    await t?.close();
    await rx.stop();
  });

  it('signs case events with HMAC-SHA256, retries with backoff, and logs every delivery', async () => {
    const manager = await t.as('manager');
    expect((await manager.call('POST', '/api/v1/webhooks', { url })).status).toBe(403);
    const created = await t.admin.call('POST', '/api/v1/webhooks', {
      url,
      events: ['case.*', 'reply.sent'],
      description: 'CRM',
    });
    expect(created.status).toBe(201);
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_/);
    const listed = await manager.call('GET', '/api/v1/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const [p] = await t.ingest({ text: '@northwindcares webhook probe: my modem is dead' });
    const caseId = await t.caseOf(p!.externalId);
    expect(
      (await agent.call('POST', `/api/v1/cases/${caseId}/assign`, { userId: agent.userId })).status,
    ).toBe(200);
    await t.idle();

    rx.statuses.push(500);
    const start = new Date();
    expect(await deliverDueWebhooks(t.ctx, start)).toBe(2);
    expect(rx.calls).toHaveLength(2);
    let log = (await manager.call('GET', `/api/v1/webhooks/${created.body.id}/deliveries`)).body.items as {
      event: string;
      status: string;
      attempts: number;
      responseStatus: number;
      nextAttemptAt: string | null;
      payload: { case?: { id: string }; action?: string };
    }[];
    expect(log.map((d) => d.event).sort()).toEqual(['case.created', 'case.updated']);
    const failed = log.find((d) => d.status === 'queued')!;
    expect(failed).toMatchObject({ attempts: 1, responseStatus: 500 });
    expect(new Date(failed.nextAttemptAt!).getTime()).toBe(start.getTime() + webhookBackoffMs(1));
    // Not due yet: nothing is sent; after the backoff it is retried and succeeds.
    expect(await deliverDueWebhooks(t.ctx, new Date(start.getTime() + 1000))).toBe(0);
    expect(await deliverDueWebhooks(t.ctx, new Date(start.getTime() + webhookBackoffMs(1)))).toBe(1);
    log = (await manager.call('GET', `/api/v1/webhooks/${created.body.id}/deliveries`)).body.items;
    expect(log.every((d) => d.status === 'sent')).toBe(true);
    expect(log.find((d) => d.event === 'case.updated')).toMatchObject({
      attempts: failed.event === 'case.updated' ? 2 : 1,
      payload: { action: 'assigned', case: { id: caseId } },
    });

    for (const call of rx.calls) {
      const ts = call.headers['x-earshot-timestamp'] as string;
      expect(call.headers['x-earshot-signature']).toBe(signWebhook(secret, ts, call.body));
      expect(call.headers['x-earshot-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(JSON.parse(call.body).id).toBe(call.headers['x-earshot-delivery']);
    }
    // A reply sent reaches the receiver as reply.sent.
    await agent.call('POST', `/api/v1/cases/${caseId}/replies`, {
      mode: 'public',
      text: 'Replacing your modem today',
    });
    await t.deliver();
    await deliverDueWebhooks(t.ctx, new Date(start.getTime() + 2 * webhookBackoffMs(1)));
    const events = rx.calls.map((c) => c.headers['x-earshot-event']);
    expect(events).toContain('reply.sent');
    await t.admin.call('PATCH', `/api/v1/webhooks/${created.body.id}`, { enabled: false });
  });

  it('gives up after the last attempt, filters events, and is admin-managed (audited)', async () => {
    const hook = await t.admin.call('POST', '/api/v1/webhooks', { url, events: ['link.created'] });
    expect(hook.status).toBe(201);
    expect(eventMatches(['link.created'], 'case.created')).toBe(false);
    expect(eventMatches([], 'anything')).toBe(true);
    const [p] = await t.ingest({
      text: '@northwindcares my internet is down, please help (link webhook probe)',
      author: { externalId: 'wh-link', handle: 'whlink' },
    });
    const personId = (await agent.call('GET', `/api/v1/cases/${await t.caseOf(p!.externalId)}`)).body
      .personId;
    await (await t.as('manager')).call('PUT', '/api/v1/customer-accounts', {
      accounts: [{ accountNumber: 'WH-1' }],
    });
    expect(
      (
        await agent.call('POST', `/api/v1/people/${personId}/links`, {
          accountNumber: 'WH-1',
          method: 'agent',
          reason: 'confirmed by phone',
        })
      ).status,
    ).toBe(201);
    await t.idle();
    const far = new Date(Date.now() + 365 * 24 * 3600_000);
    for (let i = 0; i < 8; i++) {
      rx.statuses.push(503);
      await deliverDueWebhooks(t.ctx, new Date(far.getTime() + i * 3_600_000));
    }
    const log = (await t.admin.call('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`)).body.items;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({
      event: 'link.created',
      status: 'failed',
      attempts: 8,
      lastError: 'HTTP 503',
    });
    expect(
      (await t.admin.call('PATCH', `/api/v1/webhooks/${hook.body.id}`, { enabled: false })).body.enabled,
    ).toBe(false);
    const bad = await t.admin.call('POST', '/api/v1/webhooks', { url: 'ftp://example.org/x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/url/);
    expect((await t.admin.call('DELETE', `/api/v1/webhooks/${hook.body.id}`)).status).toBe(204);
    const actions = (await t.ctx.db.select().from(auditLog)).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(['webhook.created', 'webhook.updated', 'webhook.deleted']),
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401);
  });
});
