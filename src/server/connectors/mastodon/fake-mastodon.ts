// A local fake of the Mastodon API parts the connector uses (tests only).
import type { ServerResponse } from 'node:http';
import { type FakeServer, startFakeServer } from '../testing/connector-test-kit.ts';
import type { MastodonStatus } from './map-status.ts';

export const BRAND_ACCOUNT = { id: '100', acct: 'northwind', username: 'northwind' };

export type FakeMastodon = FakeServer & {
  notifications: { id: string; type: 'mention'; status: MastodonStatus }[];
  tagged: Map<string, MastodonStatus[]>;
  posted: { body: Record<string, unknown>; idempotencyKey: string | undefined; id: string }[];
  /** Answer the next requests whose path starts with `prefix` with this status (429 carries a reset). */
  failNext: (prefix: string, status: 429 | 500, times?: number) => void;
  /** Adds a mention notification (streamed to open user streams). */
  mention: (status: MastodonStatus) => string;
  /** Adds a hashtag status (streamed to open hashtag streams). */
  tag: (tag: string, status: MastodonStatus) => void;
  sendRaw: (path: string, frame: string) => void;
  dropStreams: () => void;
  openStreams: () => number;
};

let ids = 1000;
export const nextId = () => String(++ids);

export function status(over: Partial<MastodonStatus> & { id?: string } = {}): MastodonStatus {
  return {
    id: over.id ?? nextId(),
    uri: `https://social.example/users/jane/statuses/${over.id ?? ids}`,
    url: `https://social.example/@jane/${over.id ?? ids}`,
    created_at: new Date().toISOString(),
    content:
      '<p><span class="h-card"><a href="https://mastodon.example/@northwind" class="u-url mention">@<span>northwind</span></a></span> my modem keeps dropping the connection, please help</p>',
    visibility: 'public',
    language: 'en',
    in_reply_to_id: null,
    in_reply_to_account_id: null,
    reblog: null,
    account: {
      id: '7',
      acct: 'jane@social.example',
      username: 'jane',
      display_name: 'Jane',
      followers_count: 12,
    },
    mentions: [{ id: BRAND_ACCOUNT.id, acct: BRAND_ACCOUNT.acct }],
    ...over,
  };
}

export async function startFakeMastodon(token: string): Promise<FakeMastodon> {
  const notifications: FakeMastodon['notifications'] = [];
  const tagged = new Map<string, MastodonStatus[]>();
  const posted: FakeMastodon['posted'] = [];
  const streams = new Set<{ path: string; res: ServerResponse }>();
  const failures: { prefix: string; status: 429 | 500; times: number }[] = [];
  const page = <T extends { id: string }>(list: T[], q: URLSearchParams): T[] => {
    const limit = Number(q.get('limit') ?? 20);
    const min = q.get('min_id');
    const sorted = [...list].sort((a, b) => Number(a.id) - Number(b.id));
    // min_id: the results immediately newer than the id; returned newest first like every list.
    const slice = min
      ? sorted.filter((x) => Number(x.id) > Number(min)).slice(0, limit)
      : sorted.slice(-limit);
    return slice.reverse();
  };
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const json = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`)
      return json(401, { error: 'The access token is invalid' });
    const failure = failures.find((f) => url.pathname.startsWith(f.prefix) && f.times > 0);
    if (failure) {
      failure.times--;
      if (failure.status === 429)
        return json(
          429,
          { error: 'Too many requests' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(Date.now() + 300).toISOString() },
        );
      return json(500, { error: 'internal' });
    }
    if (url.pathname === '/api/v1/accounts/verify_credentials') return json(200, BRAND_ACCOUNT);
    if (url.pathname === '/api/v1/notifications') return json(200, page(notifications, url.searchParams));
    const tagMatch = /^\/api\/v1\/timelines\/tag\/(.+)$/.exec(url.pathname);
    if (tagMatch)
      return json(200, page(tagged.get(decodeURIComponent(tagMatch[1]!)) ?? [], url.searchParams));
    if (url.pathname === '/api/v1/streaming/user' || url.pathname === '/api/v1/streaming/hashtag') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(':)\n\n');
      const path =
        url.pathname === '/api/v1/streaming/hashtag' ? `hashtag:${url.searchParams.get('tag')}` : 'user';
      const entry = { path, res };
      streams.add(entry);
      const beat = setInterval(() => res.write(':thump\n\n'), 100);
      res.on('close', () => {
        clearInterval(beat);
        streams.delete(entry);
      });
      return;
    }
    if (url.pathname === '/api/v1/statuses' && req.method === 'POST') {
      const key = req.headers['idempotency-key'] as string | undefined;
      const again = posted.find((p) => key && p.idempotencyKey === key);
      if (again) return json(200, { id: again.id });
      const id = nextId();
      posted.push({ body: JSON.parse(req.body), idempotencyKey: key, id });
      return json(200, { id, url: `https://mastodon.example/@northwind/${id}` });
    }
    json(404, { error: 'Record not found' });
  });
  const push = (path: string, frame: string) => {
    for (const s of streams) if (s.path === path) s.res.write(frame);
  };
  return Object.assign(server, {
    notifications,
    tagged,
    posted,
    failNext: (prefix: string, code: 429 | 500, times = 1) =>
      void failures.push({ prefix, status: code, times }),
    mention: (s: MastodonStatus) => {
      const n = { id: nextId(), type: 'mention' as const, status: s };
      notifications.push(n);
      push('user', `event: notification\ndata: ${JSON.stringify(n)}\n\n`);
      return n.id;
    },
    tag: (tag: string, s: MastodonStatus) => {
      tagged.set(tag, [...(tagged.get(tag) ?? []), s]);
      push(`hashtag:${tag}`, `event: update\ndata: ${JSON.stringify(s)}\n\n`);
    },
    sendRaw: push,
    dropStreams: () => {
      for (const s of streams) s.res.destroy();
    },
    openStreams: () => streams.size,
  });
}
