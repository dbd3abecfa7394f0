import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../context.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { signWebhook } from './deliver-alert.ts';
import { detectSlaRisk } from './detect-sla-risk.ts';
import { detectSpikes } from './detect-spikes.ts';
import { addToRollups, HOUR_MS, hourOf } from './update-rollups.ts';

/** Deterministic noise: a steady stream around `mean` posts an hour (±30 %). */
function steady(mean: number, i: number): number {
  const x = Math.sin(i * 12.9898) * 43758.5453;
  return Math.round(mean * (0.7 + 0.6 * (x - Math.floor(x))));
}

type Mail = { to: string[]; raw: string };
type Hook = { headers: Record<string, string | string[] | undefined>; body: string };

describe.each(drivers)('alerts on %s', (driver) => {
  let t: TestApp;
  let admin: { authorization: string };
  let agent: { authorization: string };
  let smtp: SMTPServer;
  let hookServer: Server;
  const mails: Mail[] = [];
  const hooks: Hook[] = [];
  const live: LiveEvent[] = [];
  const topic = randomUUID();
  // Three weeks of steady hours end at START; the spike goes into the hour that starts there.
  const START = hourOf(Date.now() - 3 * HOUR_MS);
  const alertsOf = async (kind: string) =>
    (await t.app.inject({ method: 'GET', url: `/api/v1/alerts?kind=${kind}`, headers: agent })).json()
      .items as {
      id: string;
      topicId: string | null;
      postIds: string[];
      links: { posts: { url: string }[] };
      data: Record<string, unknown>;
    }[];
  const call = (
    method: 'GET' | 'POST' | 'PUT',
    url: string,
    headers?: { authorization: string },
    payload?: unknown,
  ) =>
    t.app.inject({
      method,
      url,
      ...(headers ? { headers } : {}),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', () => r()));

    t = await createTestApp(driver, { scheduler: false });
    t.ctx.live.on('event', (e) => live.push(e));
    admin = { authorization: `Bearer ${(await t.tokenFor('admin')).token}` };
    agent = { authorization: `Bearer ${(await t.tokenFor('agent')).token}` };
    const smtpPort = ((smtp as unknown as { server: Server }).server.address() as AddressInfo).port;
    const hookPort = (hookServer.address() as AddressInfo).port;
    const settings = await call('PUT', '/api/v1/settings/alerts', admin, {
      email: {
        enabled: true,
        recipients: ['care-leads@northwind.example'],
        from: 'earshot@northwind.example',
        smtp: { host: '127.0.0.1', port: smtpPort, ignoreTLS: true },
      },
      webhooks: [{ url: `http://127.0.0.1:${hookPort}/hook`, secret: 'a-long-shared-secret' }],
    });
    expect(settings.statusCode, settings.body).toBe(200);
    expect(settings.json().webhooks[0].secret).toBe('********');
    await call('PUT', '/api/v1/settings/brand', admin, {
      name: 'Northwind',
      handles: ['northwindcares'],
      emails: [],
      domains: [],
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    await new Promise<void>((r) => hookServer.close(() => r()));
  });

  it('raises nothing on a steady stream, then one alert for an injected spike', async () => {
    const hours = 21 * 24;
    for (let i = hours; i > 0; i--) {
      const n = steady(20, i);
      const neg = Math.round(n * 0.1);
      await addToRollups(t.ctx.db, [
        {
          at: new Date(START.getTime() - i * HOUR_MS),
          channel: 'x',
          topicIds: [topic],
          counts: { inbound: n, 'sentiment:negative': neg },
        },
      ]);
    }
    expect(await detectSpikes(t.ctx, START)).toEqual([]);
    expect(await alertsOf('spike')).toEqual([]);
    expect(await alertsOf('negative_spike')).toEqual([]);

    await addToRollups(t.ctx.db, [
      { at: START, channel: 'x', topicIds: [topic], counts: { inbound: 120, 'sentiment:negative': 12 } },
    ]);
    // Judged while the hour runs, and again when it has closed: still one alert.
    const during = await detectSpikes(t.ctx, new Date(START.getTime() + 30 * 60_000));
    const after = await detectSpikes(t.ctx, new Date(START.getTime() + HOUR_MS + 60_000));
    expect(during).toHaveLength(1);
    expect(after).toEqual([]);
    const spikes = await alertsOf('spike');
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ topicId: topic, data: { count: 120, scope: topic } });
    expect(live.filter((e) => e.type === 'alert')).toHaveLength(1);
  });

  it('raises a negative-share spike when the share of negative posts jumps', async () => {
    const next = new Date(START.getTime() + HOUR_MS);
    await addToRollups(t.ctx.db, [
      { at: next, channel: 'x', topicIds: [topic], counts: { inbound: 20, 'sentiment:negative': 16 } },
    ]);
    await detectSpikes(t.ctx, new Date(next.getTime() + HOUR_MS + 60_000));
    const neg = await alertsOf('negative_spike');
    expect(neg).toHaveLength(1);
    expect(neg[0]!.data).toMatchObject({ negative: 16, count: 20 });
    expect(await alertsOf('spike')).toHaveLength(1);
  });

  it('delivers by e-mail and signed webhook, with links to the posts', async () => {
    expect(mails.length).toBeGreaterThanOrEqual(2);
    expect(mails[0]!.to).toEqual(['care-leads@northwind.example']);
    expect(mails[0]!.raw).toMatch(/Volume spike/);
    expect(hooks.length).toBe(mails.length);
    const h = hooks[0]!;
    expect(h.headers['x-earshot-signature']).toBe(
      signWebhook('a-long-shared-secret', String(h.headers['x-earshot-timestamp']), h.body),
    );
    expect(JSON.parse(h.body)).toMatchObject({ event: 'alert', alert: { kind: 'spike', topicId: topic } });
  });

  it('flags a fast-spreading post and links it', async () => {
    const res = await call('POST', '/api/v1/posts', admin, {
      posts: [
        {
          channel: 'sandbox',
          externalId: 'viral-1',
          author: { externalId: 'u-viral', handle: 'loudcustomer' },
          text: '@northwindcares your outage ruined my wedding livestream',
          createdAt: new Date(Date.now() - 30 * 60_000).toISOString(),
          metrics: { reposts: 400, replies: 200 },
        },
      ],
    });
    const postId = res.json().results[0].postId;
    await t.idle();
    const viral = await alertsOf('viral_risk');
    expect(viral).toHaveLength(1);
    expect(viral[0]!.postIds).toEqual([postId]);
    expect(viral[0]!.links.posts[0]!.url).toContain(postId);
  });

  it('warns about SLA-breach risk without reordering the queue', async () => {
    // Written 50 minutes ago: the default first-response target (60 min) is 10 minutes away.
    await call('POST', '/api/v1/posts', admin, {
      posts: [
        {
          channel: 'sandbox',
          externalId: 'sla-1',
          author: { externalId: 'u-sla', handle: 'waiting' },
          text: '@northwindcares my internet is down since this morning, please help',
          createdAt: new Date(Date.now() - 50 * 60_000).toISOString(),
        },
      ],
    });
    await t.idle();
    const before = (await call('GET', '/api/v1/cases', agent)).json().items as {
      id: string;
      priority: unknown;
    }[];
    const raised = await detectSlaRisk(t.ctx);
    expect(raised.length).toBeGreaterThanOrEqual(1);
    const sla = await alertsOf('sla_risk');
    expect(sla.some((a) => before.some((c) => c.id === a.data.caseId))).toBe(true);
    const after = (await call('GET', '/api/v1/cases', agent)).json().items as {
      id: string;
      priority: unknown;
    }[];
    expect(after.map((c) => [c.id, c.priority])).toEqual(before.map((c) => [c.id, c.priority]));
  });

  it('lists and acknowledges alerts, with role guards', async () => {
    const [first] = await alertsOf('spike');
    expect((await call('GET', '/api/v1/alerts')).statusCode).toBe(401);
    const viewer = { authorization: `Bearer ${(await t.tokenFor('viewer')).token}` };
    expect((await call('GET', '/api/v1/alerts', viewer)).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/alerts/${first!.id}/acknowledge`, viewer)).statusCode).toBe(403);
    expect((await call('GET', '/api/v1/settings/alerts', agent)).statusCode).toBe(403);
    const ack = await call('POST', `/api/v1/alerts/${first!.id}/acknowledge`, agent);
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledgedAt).not.toBeNull();
    const open = (await call('GET', '/api/v1/alerts?status=open', agent)).json().items as { id: string }[];
    expect(open.some((a) => a.id === first!.id)).toBe(false);
    const bad = await call('PUT', '/api/v1/settings/alerts', admin, {
      webhooks: [{ url: 'ftp://example.com', secret: 'a-long-shared-secret' }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/webhooks\.0\.url/);
  });
});
