// A local fake of Reddit's OAuth API parts the connector uses (tests only).
import { type FakeServer, startFakeServer } from '../testing/connector-test-kit.ts';

export const CLIENT = {
  id: 'client-id-1',
  secret: 'client-secret-1',
  username: 'NorthwindCares',
  password: 'pw-123',
};

type Thing = { kind: 't1' | 't3'; data: Record<string, unknown> & { name: string; subreddit: string } };

export type FakeReddit = FakeServer & {
  things: Thing[];
  comments: { thing_id: string; text: string }[];
  messages: { to: string; subject: string; text: string }[];
  tokensIssued: () => number;
  /** Fail the next requests to listings: 500, 429 (with reset seconds) or a truncated body. */
  failNext: (kind: 500 | 429 | 'truncated', times?: number) => void;
  post: (sub: string, title: string, selftext: string, author?: string) => Thing;
  comment: (parent: Thing, body: string, author?: string) => Thing;
};

let n = 36 ** 4;
const nextId = () => (++n).toString(36);

export async function startFakeReddit(): Promise<FakeReddit> {
  const things: Thing[] = [];
  const comments: FakeReddit['comments'] = [];
  const messages: FakeReddit['messages'] = [];
  const failures: ('500' | '429' | 'truncated')[] = [];
  let issued = 0;
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const json = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (!req.headers['user-agent']?.includes('earshot'))
      return json(429, { message: 'Too Many Requests: set a descriptive User-Agent' });
    if (url.pathname === '/api/v1/access_token') {
      const basic = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
      const form = new URLSearchParams(req.body);
      if (req.headers.authorization !== `Basic ${basic}`)
        return json(401, { message: 'Unauthorized', error: 401 });
      if (
        form.get('grant_type') !== 'password' ||
        form.get('username') !== CLIENT.username ||
        form.get('password') !== CLIENT.password
      )
        return json(200, { error: 'invalid_grant' });
      issued++;
      return json(200, {
        access_token: `tok-${issued}`,
        token_type: 'bearer',
        expires_in: 86400,
        scope: '*',
      });
    }
    if (!/^bearer tok-\d+$/.test(req.headers.authorization ?? ''))
      return json(401, { message: 'Unauthorized', error: 401 });
    const limits = { 'x-ratelimit-used': '1', 'x-ratelimit-remaining': '99', 'x-ratelimit-reset': '300' };
    if (url.pathname === '/api/comment' || url.pathname === '/api/compose') {
      const form = Object.fromEntries(new URLSearchParams(req.body));
      if (url.pathname === '/api/compose') {
        messages.push({ to: form.to!, subject: form.subject!, text: form.text! });
        return json(200, { json: { errors: [] } }, limits);
      }
      comments.push({ thing_id: form.thing_id!, text: form.text! });
      const id = nextId();
      return json(
        200,
        {
          json: {
            errors: [],
            data: {
              things: [
                { kind: 't1', data: { id, name: `t1_${id}`, body: form.text, parent_id: form.thing_id } },
              ],
            },
          },
        },
        limits,
      );
    }
    const m = /^\/r\/([^/]+)\/(new|comments)$/.exec(url.pathname);
    if (m) {
      const failure = failures.shift();
      if (failure === '500') return json(500, { message: 'Internal Server Error', error: 500 });
      if (failure === '429')
        return json(
          429,
          { message: 'Too Many Requests', error: 429 },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1', 'x-ratelimit-used': '100' },
        );
      const kind = m[2] === 'new' ? 't3' : 't1';
      const list = things.filter((t) => t.kind === kind && t.data.subreddit === m[1]).reverse();
      const after = url.searchParams.get('after');
      const start = after ? list.findIndex((t) => t.data.name === after) + 1 : 0;
      const limit = Math.min(3, Number(url.searchParams.get('limit') ?? 25)); // small pages exercise paging
      const page = list.slice(start, start + limit);
      const body = JSON.stringify({
        kind: 'Listing',
        data: {
          after: start + limit < list.length ? page.at(-1)!.data.name : null,
          dist: page.length,
          children: page,
          before: null,
        },
      });
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', ...limits });
      res.end(failure === 'truncated' ? body.slice(0, body.length / 2) : body);
      return;
    }
    json(404, { message: 'Not Found', error: 404 });
  });
  return Object.assign(server, {
    things,
    comments,
    messages,
    tokensIssued: () => issued,
    failNext: (kind: 500 | 429 | 'truncated', times = 1) => {
      for (let i = 0; i < times; i++) failures.push(String(kind) as '500' | '429' | 'truncated');
    },
    post: (sub: string, title: string, selftext: string, author = 'jane_r') => {
      const id = nextId();
      const t: Thing = {
        kind: 't3',
        data: {
          id,
          name: `t3_${id}`,
          subreddit: sub,
          title,
          selftext,
          author,
          author_fullname: `t2_${author}`,
          created_utc: Date.now() / 1000,
          permalink: `/r/${sub}/comments/${id}/x/`,
          url: `https://www.reddit.com/r/${sub}/comments/${id}/x/`,
          score: 3,
          num_comments: 0,
        },
      };
      things.push(t);
      return t;
    },
    comment: (parent: Thing, body: string, author = 'jane_r') => {
      const id = nextId();
      const link = parent.kind === 't3' ? parent.data.name : (parent.data.link_id as string);
      const t: Thing = {
        kind: 't1',
        data: {
          id,
          name: `t1_${id}`,
          subreddit: parent.data.subreddit,
          body,
          author,
          author_fullname: `t2_${author}`,
          created_utc: Date.now() / 1000,
          parent_id: parent.data.name,
          link_id: link,
          link_title: 'x',
          permalink: `/r/${parent.data.subreddit}/comments/${link.slice(3)}/x/${id}/`,
          score: 1,
        },
      };
      things.push(t);
      return t;
    },
  });
}
