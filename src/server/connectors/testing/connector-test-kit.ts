import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { channels } from '../../modules/channels/channels.schema.ts';
import { posts } from '../../modules/conversations/conversations.schema.ts';
import type { TestApp } from '../../testing/test-app.ts';
import { channelSchedulerOf, startChannelScheduler } from '../ingestion/channel-scheduler.ts';

/** `../shared/data` beside the repository (one home: platform/shared-data.ts). */
export { sharedDataPath as sharedDataFile } from '../../platform/shared-data.ts';

export type RecordedRequest = {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
};

export type FakeServer = {
  url: string;
  server: Server;
  requests: RecordedRequest[];
  close: () => Promise<void>;
};

/** A local HTTP server speaking whatever protocol `handle` implements; every request is recorded. */
export async function startFakeServer(
  handle: (req: RecordedRequest, res: ServerResponse) => void | Promise<void>,
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(rec);
      Promise.resolve(handle(rec, res)).catch((err) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Polls `probe` until it returns a truthy value (or fails after `timeoutMs` with `what`). */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(
        `timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Replaces the worker's channel scheduler with one that backs off in milliseconds (tests). */
export async function useFastScheduler(t: TestApp) {
  await channelSchedulerOf(t.ctx)?.stop();
  return startChannelScheduler(t.ctx, { backoff: { baseMs: 40, maxMs: 400 }, reloadMs: 200, leaseMs: 3000 });
}

/** Sets the brand (so posts addressed to it are kept) and returns an admin's auth header. */
export async function setUpBrand(t: TestApp, brand: { handles?: string[]; emails?: string[] } = {}) {
  const admin = await t.tokenFor('admin');
  const auth = { authorization: `Bearer ${admin.token}` };
  const res = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/settings/brand',
    headers: auth,
    payload: {
      name: 'Northwind',
      handles: brand.handles ?? ['northwindcares'],
      emails: brand.emails ?? ['care@northwind.example'],
      domains: ['northwind.example'],
    },
  });
  if (res.statusCode !== 200) throw new Error(`brand setup failed: ${res.body}`);
  return auth;
}

/** Creates a channel through the API; returns its id. */
export async function createChannel(
  t: TestApp,
  auth: Record<string, string>,
  body: {
    type: string;
    name: string;
    config: Record<string, unknown>;
    secrets?: Record<string, string>;
    enabled?: boolean;
  },
): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/channels', headers: auth, payload: body });
  if (res.statusCode !== 201) throw new Error(`channel creation failed (${res.statusCode}): ${res.body}`);
  return res.json().id as string;
}

export async function channelRow(t: TestApp, id: string) {
  const [row] = await t.ctx.db.select().from(channels).where(eq(channels.id, id));
  return row!;
}

export async function postsOf(t: TestApp, channel: string) {
  return t.ctx.db.select().from(posts).where(eq(posts.channel, channel));
}

export type CapturedMail = { envelope: { from: string; to: string[] }; raw: Buffer };

/** A local SMTP server (smtp-server) that records every message it is sent. */
export async function startSmtpSink(): Promise<{
  port: number;
  messages: CapturedMail[];
  close: () => Promise<void>;
}> {
  const { SMTPServer } = await import('smtp-server');
  const messages: CapturedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          raw: Buffer.concat(chunks),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = (server as unknown as { server: Server }).server.address() as AddressInfo;
  return { port, messages, close: () => new Promise<void>((r) => server.close(() => r())) };
}
