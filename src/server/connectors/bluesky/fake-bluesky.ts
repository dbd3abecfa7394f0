// Local fakes of the Bluesky services the connector speaks to (tests only): a Jetstream
// WebSocket server and a PDS answering the XRPC calls used for replies and chat.
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { type FakeServer, startFakeServer } from '../testing/connector-test-kit.ts';
import type { JetstreamEvent } from './read-jetstream.ts';

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A valid CIDv1 (dag-cbor, sha2-256, base32) for `seed`. */
export function fakeCid(seed: string): string {
  const bytes = Buffer.concat([
    Buffer.from([0x01, 0x71, 0x12, 0x20]),
    createHash('sha256').update(seed).digest(),
  ]);
  let bits = 0;
  let value = 0;
  let out = 'b';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export type FakeJetstream = {
  url: string;
  /** Query strings of every connection (to check wantedCollections and cursor). */
  connections: URLSearchParams[];
  /** Appends events to the log and sends them to connected clients. */
  emit: (...events: JetstreamEvent[]) => void;
  /** Sends a raw frame (e.g. truncated JSON) to connected clients. */
  emitRaw: (frame: string) => void;
  /** Drops every connection without a close frame (a socket dying mid-stream). */
  dropAll: () => void;
  close: () => Promise<void>;
};

/** Jetstream: `/subscribe?wantedCollections=…&wantedDids=…&cursor=<time_us>` replays the log after `cursor`, then streams. */
export async function startFakeJetstream(): Promise<FakeJetstream> {
  const log: JetstreamEvent[] = [];
  const clients = new Set<{ ws: WebSocket; q: URLSearchParams }>();
  const connections: URLSearchParams[] = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/subscribe' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const wanted = (q: URLSearchParams, ev: JetstreamEvent) => {
    const collections = q.getAll('wantedCollections');
    const dids = q.getAll('wantedDids');
    if (dids.length && !dids.includes(ev.did)) return false;
    if (ev.kind === 'commit' && collections.length && !collections.includes(ev.commit!.collection))
      return false;
    return true;
  };
  wss.on('connection', (ws, req) => {
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    connections.push(q);
    const client = { ws, q };
    clients.add(client);
    ws.on('close', () => clients.delete(client));
    const cursor = Number(q.get('cursor') ?? 0);
    if (cursor > 0)
      for (const ev of log) if (ev.time_us > cursor && wanted(q, ev)) ws.send(JSON.stringify(ev));
  });
  const { port } = wss.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/subscribe`,
    connections,
    emit: (...events) => {
      for (const ev of events) {
        log.push(ev);
        for (const c of clients) if (wanted(c.q, ev)) c.ws.send(JSON.stringify(ev));
      }
    },
    emitRaw: (frame) => {
      for (const c of clients) c.ws.send(frame);
    },
    dropAll: () => {
      for (const c of clients) c.ws.terminate();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const c of clients) c.ws.terminate();
        wss.close(() => r());
      }),
  };
}

/** A post create event as Jetstream sends it. */
export function postEvent(
  did: string,
  rkey: string,
  timeUs: number,
  text: string,
  extra: Partial<{
    reply: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
    facets: unknown[];
    langs: string[];
  }> = {},
): JetstreamEvent {
  return {
    did,
    time_us: timeUs,
    kind: 'commit',
    commit: {
      rev: `rev${timeUs}`,
      operation: 'create',
      collection: 'app.bsky.feed.post',
      rkey,
      record: {
        $type: 'app.bsky.feed.post',
        text,
        createdAt: new Date(timeUs / 1000).toISOString(),
        ...extra,
      } as never,
      cid: fakeCid(`${did}/${rkey}`),
    },
  };
}

export type FakePds = FakeServer & {
  /** Records stored in the fake repo, by AT-URI. */
  records: Map<string, { cid: string; value: Record<string, unknown> }>;
  created: { repo: string; collection: string; record: Record<string, unknown> }[];
  messages: { convoId: string; text: string; proxy: string | undefined }[];
};

/** A PDS (with the AppView calls it proxies): createSession, getRecord, getPosts, createRecord, and the chat service's getConvoForMembers/sendMessage. */
export async function startFakePds(account: {
  did: string;
  handle: string;
  password: string;
}): Promise<FakePds> {
  const records = new Map<string, { cid: string; value: Record<string, unknown> }>();
  const created: FakePds['created'] = [];
  const messages: FakePds['messages'] = [];
  let n = 0;
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const authed = req.headers.authorization === 'Bearer access-jwt';
    switch (url.pathname) {
      case '/xrpc/com.atproto.server.createSession': {
        const body = JSON.parse(req.body) as { identifier: string; password: string };
        if (body.password !== account.password || ![account.did, account.handle].includes(body.identifier)) {
          return json(401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
        }
        return json(200, {
          did: account.did,
          handle: account.handle,
          accessJwt: 'access-jwt',
          refreshJwt: 'refresh-jwt',
          active: true,
        });
      }
      case '/xrpc/com.atproto.repo.getRecord': {
        const uri = `at://${url.searchParams.get('repo')}/${url.searchParams.get('collection')}/${url.searchParams.get('rkey')}`;
        const rec = records.get(uri);
        if (!rec) return json(400, { error: 'RecordNotFound', message: `Could not locate record: ${uri}` });
        return json(200, { uri, cid: rec.cid, value: rec.value });
      }
      case '/xrpc/app.bsky.feed.getPosts': {
        if (!authed) return json(401, { error: 'AuthenticationRequired' });
        const posts = url.searchParams
          .getAll('uris')
          .filter((u) => records.has(u))
          .map((uri) => ({
            uri,
            cid: records.get(uri)!.cid,
            author: { did: uri.split('/')[2], handle: 'someone.bsky.social' },
            record: records.get(uri)!.value,
            indexedAt: new Date().toISOString(),
          }));
        return json(200, { posts });
      }
      case '/xrpc/com.atproto.repo.createRecord': {
        if (!authed) return json(401, { error: 'AuthenticationRequired' });
        const body = JSON.parse(req.body) as {
          repo: string;
          collection: string;
          record: Record<string, unknown>;
        };
        const uri = `at://${account.did}/${body.collection}/3lreply${++n}`;
        const cid = fakeCid(uri);
        records.set(uri, { cid, value: body.record });
        created.push({ repo: body.repo, collection: body.collection, record: body.record });
        return json(200, { uri, cid, validationStatus: 'valid' });
      }
      case '/xrpc/chat.bsky.convo.getConvoForMembers': {
        if (!authed) return json(401, { error: 'AuthenticationRequired' });
        const member = url.searchParams.get('members')!;
        const profile = (did: string, handle: string) => ({ did, handle });
        return json(200, {
          convo: {
            id: `convo-${member.slice(-6)}`,
            rev: '1',
            members: [profile(account.did, account.handle), profile(member, 'customer.bsky.social')],
            muted: false,
            unreadCount: 0,
          },
        });
      }
      case '/xrpc/chat.bsky.convo.sendMessage': {
        if (!authed) return json(401, { error: 'AuthenticationRequired' });
        const body = JSON.parse(req.body) as { convoId: string; message: { text: string } };
        messages.push({
          convoId: body.convoId,
          text: body.message.text,
          proxy: req.headers['atproto-proxy'] as string | undefined,
        });
        return json(200, {
          id: `msg${++n}`,
          rev: '2',
          text: body.message.text,
          sender: { did: account.did },
          sentAt: new Date().toISOString(),
        });
      }
      default:
        return json(404, { error: 'MethodNotImplemented', message: url.pathname });
    }
  });
  return Object.assign(server, { records, created, messages });
}
