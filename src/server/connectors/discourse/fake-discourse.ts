// A local fake of the Discourse API parts the connector uses (tests only).
import { type FakeServer, startFakeServer } from '../testing/connector-test-kit.ts';
import type { DiscoursePost } from './read-discourse.ts';

export const API = { key: 'discourse-key-1', username: 'northwind_support' };

export type FakeDiscourse = FakeServer & {
  posts: DiscoursePost[];
  created: { body: Record<string, unknown>; apiUsername: string | undefined }[];
  failNext: (kind: 500 | 429 | 'truncated') => void;
  write: (username: string, topicId: number, raw: string, over?: Partial<DiscoursePost>) => DiscoursePost;
};

export async function startFakeDiscourse(): Promise<FakeDiscourse> {
  const posts: DiscoursePost[] = [];
  const created: FakeDiscourse['created'] = [];
  const failures: string[] = [];
  let nextId = 100;
  const write = (username: string, topicId: number, raw: string, over: Partial<DiscoursePost> = {}) => {
    const inTopic = posts.filter((p) => p.topic_id === topicId).length;
    const p: DiscoursePost = {
      id: ++nextId,
      username,
      name: username,
      created_at: new Date().toISOString(),
      cooked: `<p>${raw.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`,
      raw,
      topic_id: topicId,
      topic_slug: `topic-${topicId}`,
      topic_title: `Topic ${topicId}`,
      post_number: inTopic + 1,
      post_type: 1,
      category_id: 5,
      ...over,
    };
    posts.push(p);
    return p;
  };
  const server = await startFakeServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const json = (code: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const authed = req.headers['api-key'] === API.key;
    if (url.pathname === '/posts.json' && req.method === 'GET') {
      const f = failures.shift();
      if (f === '500') return json(500, { errors: ['Internal Server Error'] });
      if (f === '429')
        return json(
          429,
          {
            errors: ['You’ve performed this action too many times.'],
            error_type: 'rate_limit',
            extras: { wait_seconds: 1 },
          },
          { 'retry-after': '1' },
        );
      const before = Number(url.searchParams.get('before') ?? Number.MAX_SAFE_INTEGER);
      const page = posts
        .filter((p) => p.id < before)
        .sort((a, b) => b.id - a.id)
        .slice(0, 4);
      const body = JSON.stringify({ latest_posts: page });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(f === 'truncated' ? body.slice(0, body.length - 10) : body);
      return;
    }
    if (!authed)
      return json(403, {
        errors: ['You are not permitted to view the requested resource.'],
        error_type: 'invalid_access',
      });
    const one = /^\/posts\/(\d+)\.json$/.exec(url.pathname);
    if (one) {
      const p = posts.find((x) => x.id === Number(one[1]));
      return p ? json(200, p) : json(404, { errors: ['not found'] });
    }
    if (url.pathname === '/posts.json' && req.method === 'POST') {
      const body = JSON.parse(req.body) as Record<string, unknown>;
      created.push({ body, apiUsername: req.headers['api-username'] as string | undefined });
      const p = write(API.username, Number(body.topic_id ?? 9000 + created.length), String(body.raw));
      return json(200, { id: p.id, post_number: p.post_number, topic_id: p.topic_id });
    }
    json(404, { errors: ['The requested URL or resource could not be found.'] });
  });
  return Object.assign(server, {
    posts,
    created,
    write,
    failNext: (kind: 500 | 429 | 'truncated') => void failures.push(String(kind)),
  });
}
