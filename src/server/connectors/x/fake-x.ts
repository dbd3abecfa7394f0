// A local fake of the X API v2 endpoints the connector uses (tests only).
import type { ServerResponse } from 'node:http';
import { type FakeServer, startFakeServer } from '../testing/connector-test-kit.ts';
import type { XTweet, XUser } from './map-tweet.ts';

export const APP_TOKEN = 'x-app-bearer';
export const USER_TOKEN = 'x-user-token';

export type FakeX = FakeServer & {
  rules: { id: string; value: string; tag?: string }[];
  /** Every post "on X": what recent search finds. */
  archive: { tweet: XTweet; user: XUser }[];
  tweets: { text: string; reply?: { in_reply_to_tweet_id: string } }[];
  dms: { participant: string; text: string }[];
  /** Posts a tweet: archived and sent to open streams. */
  post: (tweet: XTweet, user: XUser) => void;
  writeRaw: (line: string) => void;
  dropStreams: () => void;
  openStreams: () => number;
  /** The next stream connection gets 429 with a reset `seconds` ahead. */
  rejectNextStream: (seconds: number) => void;
};

let seq = 1_790_000_000_000_000_000n;
export const tweetId = () => String(++seq);

export async function startFakeX(): Promise<FakeX> {
  const rules: FakeX['rules'] = [
    { id: '1', value: 'cats has:images', tag: 'someone-else' },
    { id: '2', value: 'old rule', tag: 'earshot:stale' },
  ];
  const archive: FakeX['archive'] = [];
  const tweets: FakeX['tweets'] = [];
  const dms: FakeX['dms'] = [];
  const streams = new Set<ServerResponse>();
  let reject429: number | null = null;
  let ruleId = 10;
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const json = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    const path = url.pathname;
    if (path === '/2/tweets' || path.startsWith('/2/dm_conversations/')) {
      if (bearer !== USER_TOKEN) return json(403, { title: 'Unsupported Authentication', status: 403 });
      const body = JSON.parse(req.body);
      if (path === '/2/tweets') {
        tweets.push(body);
        return json(201, { data: { id: tweetId(), text: body.text, edit_history_tweet_ids: [] } });
      }
      const participant = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(path)?.[1];
      if (!participant) return json(404, { title: 'Not Found' });
      dms.push({ participant, text: body.text });
      return json(201, { data: { dm_conversation_id: `${participant}-1`, dm_event_id: tweetId() } });
    }
    if (bearer !== APP_TOKEN)
      return json(401, { title: 'Unauthorized', status: 401, detail: 'Unauthorized' });
    if (path === '/2/tweets/search/stream/rules') {
      if (req.method === 'GET')
        return json(200, {
          data: rules,
          meta: { sent: new Date().toISOString(), result_count: rules.length },
        });
      const body = JSON.parse(req.body) as {
        add?: { value: string; tag?: string }[];
        delete?: { ids: string[] };
      };
      if (body.delete)
        for (const id of body.delete.ids)
          rules.splice(
            rules.findIndex((r) => r.id === id),
            1,
          );
      const added = (body.add ?? []).map((r) => ({ id: String(++ruleId), ...r }));
      rules.push(...added);
      return json(200, {
        data: added,
        meta: {
          sent: new Date().toISOString(),
          summary: { created: added.length, not_created: 0, valid: added.length, invalid: 0 },
        },
      });
    }
    if (path === '/2/tweets/search/recent') {
      const since = BigInt(url.searchParams.get('since_id') ?? '0');
      const newer = archive.filter((a) => BigInt(a.tweet.id) > since).reverse(); // newest first
      const offset = Number(url.searchParams.get('next_token') ?? 0);
      const page = newer.slice(offset, offset + 2);
      const next = offset + 2 < newer.length ? String(offset + 2) : undefined;
      return json(
        200,
        {
          ...(page.length
            ? { data: page.map((a) => a.tweet), includes: { users: page.map((a) => a.user) } }
            : {}),
          meta: { result_count: page.length, ...(next ? { next_token: next } : {}) },
        },
        {
          'x-rate-limit-remaining': '449',
          'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 900),
        },
      );
    }
    if (path === '/2/tweets/search/stream') {
      if (reject429 !== null) {
        const reset = Math.floor(Date.now() / 1000) + reject429;
        reject429 = null;
        return json(
          429,
          {
            title: 'ConnectionException',
            detail: 'This stream is currently at the maximum allowed connection limit.',
          },
          { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) },
        );
      }
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      streams.add(res);
      const beat = setInterval(() => res.write('\r\n'), 100);
      res.on('close', () => {
        clearInterval(beat);
        streams.delete(res);
      });
      return;
    }
    json(404, { title: 'Not Found Error', status: 404 });
  });
  return Object.assign(server, {
    rules,
    archive,
    tweets,
    dms,
    post: (tweet: XTweet, user: XUser) => {
      archive.push({ tweet, user });
      const line = JSON.stringify({
        data: tweet,
        includes: { users: [user] },
        matching_rules: [{ id: '11', tag: 'earshot:brand' }],
      });
      for (const s of streams) s.write(`${line}\r\n`);
    },
    writeRaw: (line: string) => {
      for (const s of streams) s.write(line);
    },
    dropStreams: () => {
      for (const s of streams) s.destroy();
    },
    openStreams: () => streams.size,
    rejectNextStream: (seconds: number) => {
      reject429 = seconds;
    },
  });
}
