import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import type { ChannelScheduler } from '../ingestion/channel-scheduler.ts';
import {
  channelRow,
  createChannel,
  type FakeServer,
  postsOf,
  setUpBrand,
  sharedDataFile,
  startFakeServer,
  useFastScheduler,
  waitFor,
} from '../testing/connector-test-kit.ts';
import { parseFeedItems } from './parse-feed.ts';

const guardian = readFileSync(sharedDataFile('feeds', 'guardian.rss'), 'utf8');
const heise = readFileSync(sharedDataFile('feeds', 'heise.atom'), 'utf8');

/** The Guardian feed with one more item, addressed to the brand, inserted first. */
function withNewItem(guid: string, title: string) {
  const item = `<item><title>${title}</title><link>https://blog.example/${guid}</link><guid isPermaLink="false">${guid}</guid>
    <description>&lt;p&gt;Dear @northwindcares, my &lt;b&gt;router&lt;/b&gt; keeps rebooting &amp;amp; support is closed.&lt;/p&gt;</description>
    <pubDate>Thu, 01 Feb 2018 09:00:00 GMT</pubDate><dc:creator>Casey Blogger</dc:creator></item>`;
  return guardian.replace('<item>', `${item}<item>`);
}

describe('feed parsing (real feeds)', () => {
  it('normalises every item of an RSS 2.0 and an Atom feed with unique ids', () => {
    const g = parseFeedItems(guardian, 'http://feeds.example/guardian.rss');
    expect(g.items).toHaveLength(55);
    expect(new Set(g.items.map((i) => i.id)).size).toBe(55);
    const first = g.items[0]!.post;
    expect(first.title).toBe('Trump State of the Union address promised unity but emphasized discord');
    expect(first.createdAt).toBe('2018-01-31T07:26:05.000Z');
    expect(first.author.handle).toBe('David Smith in Washington');
    expect(first.text).not.toMatch(/<p>|&lt;/);

    const h = parseFeedItems(heise, 'http://feeds.example/heise.atom');
    expect(h.items).toHaveLength(15);
    expect(h.items[0]!.post).toMatchObject({
      externalId: 'http://heise.de/-3088438',
      title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
      createdAt: '2016-02-01T16:22:00.000Z',
      author: { handle: 'heise online' },
    });
    expect(h.items[0]!.post.text).toContain('Die nun verfügbare Version 10');
  });

  it('rejects malformed XML', () => {
    expect(() => parseFeedItems(guardian.slice(0, 5000), 'http://x/feed')).toThrow();
  });
});

describe.each(drivers)('RSS/Atom channel on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let server: FakeServer;
  let auth: Record<string, string>;
  // What the fake blog host serves: status and body per path, with ETag/Last-Modified.
  const site: Record<string, { status: number; body: string; etag: string }> = {};

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t);
    scheduler = await useFastScheduler(t);
    server = await startFakeServer((req, res) => {
      const page = site[req.url];
      if (!page) return void res.writeHead(404).end();
      if (page.status !== 200)
        return void res.writeHead(page.status, { 'content-type': 'text/plain' }).end(page.body);
      if (req.headers['if-none-match'] === page.etag)
        return void res.writeHead(304, { etag: page.etag }).end();
      res.writeHead(200, {
        'content-type': 'application/rss+xml',
        etag: page.etag,
        'last-modified': 'Wed, 31 Jan 2018 20:15:15 GMT',
      });
      res.end(page.body);
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await server?.close();
    await t?.close();
  });

  it('polls feeds with conditional GETs, picks up a new item within its interval, survives 500s and malformed XML, and resumes after a restart', async () => {
    site['/guardian.rss'] = { status: 200, body: guardian, etag: '"g1"' };
    site['/heise.atom'] = { status: 200, body: heise, etag: '"h1"' };
    const gUrl = `${server.url}/guardian.rss`;
    const hUrl = `${server.url}/heise.atom`;
    const id = await createChannel(t, auth, {
      type: 'rss',
      name: `Blogs ${driver}`,
      config: { urls: [gUrl, { url: hUrl, intervalSeconds: 0.2 }], intervalSeconds: 0.2 },
    });

    // Every item of both feeds reaches ingest once (kept or deliberately dropped and counted).
    const first = await waitFor('all 70 items seen', async () => {
      const h = (await channelRow(t, id)).health as { received?: number; dropped?: number };
      return (h.received ?? 0) + (h.dropped ?? 0) === 70 ? h : null;
    });
    expect(first).toMatchObject({ status: 'ok' });

    // The next poll is conditional and costs a 304.
    await waitFor('a conditional request', () =>
      server.requests.some((r) => r.url === '/guardian.rss' && r.headers['if-none-match'] === '"g1"'),
    );
    expect(
      server.requests.find((r) => r.headers['if-none-match'] === '"g1"')!.headers['if-modified-since'],
    ).toBe('Wed, 31 Jan 2018 20:15:15 GMT');

    // A new post addressed to the brand is stored within the interval.
    site['/guardian.rss'] = { status: 200, body: withNewItem('new-1', 'Router trouble'), etag: '"g2"' };
    const [stored] = await waitFor('new item stored', async () => {
      const p = (await postsOf(t, 'rss')).filter((x) => x.externalId === 'new-1');
      return p.length ? p : null;
    });
    expect(stored).toMatchObject({
      title: 'Router trouble',
      url: 'https://blog.example/new-1',
      channelId: id,
      toBrand: true,
      direction: 'inbound',
    });
    expect(stored!.text).toBe('Dear @northwindcares, my router keeps rebooting & support is closed.');

    // Faults: 500 on one feed, then malformed XML; the other feed keeps being polled.
    site['/guardian.rss'] = { status: 500, body: 'upstream exploded', etag: '' };
    const erroring = await waitFor('500 in health', async () => {
      const h = (await channelRow(t, id)).health as { status: string; lastError?: string };
      return h.status === 'error' && /500/.test(h.lastError ?? '') ? h : null;
    });
    expect(erroring.lastError).toContain('guardian.rss');
    const heisePolls = server.requests.filter((r) => r.url === '/heise.atom').length;
    site['/guardian.rss'] = {
      status: 200,
      body: withNewItem('new-2', 'Half a feed').slice(0, 4000),
      etag: '"g3"',
    };
    await waitFor('malformed feed in health', async () =>
      /malformed feed/.test(((await channelRow(t, id)).health as { lastError?: string }).lastError ?? ''),
    );
    await waitFor(
      'heise still polled',
      () => server.requests.filter((r) => r.url === '/heise.atom').length > heisePolls,
    );

    site['/guardian.rss'] = { status: 200, body: withNewItem('new-2', 'Modem blinking red'), etag: '"g4"' };
    await waitFor('recovered with new-2', async () =>
      (await postsOf(t, 'rss')).some((p) => p.externalId === 'new-2'),
    );
    await waitFor(
      'health ok',
      async () => ((await channelRow(t, id)).health as { status: string }).status === 'ok',
    );

    // Restart: an item published while down is picked up; nothing is stored twice.
    await scheduler.stop();
    site['/guardian.rss'] = {
      status: 200,
      body: withNewItem('new-3', 'While you were down').replace(
        '<item>',
        `${'<item><title>Again</title><guid>new-2</guid><description>@northwindcares modem</description></item>'}<item>`,
      ),
      etag: '"g5"',
    };
    scheduler = await useFastScheduler(t);
    await waitFor('new-3 after restart', async () =>
      (await postsOf(t, 'rss')).some((p) => p.externalId === 'new-3'),
    );
    const all = await postsOf(t, 'rss');
    expect(all.filter((p) => p.externalId === 'new-2')).toHaveLength(1);
    const cursor = (await channelRow(t, id)).cursor as {
      feeds: Record<string, { etag?: string; seen: string[] }>;
    };
    expect(cursor.feeds[gUrl]!.etag).toBe('"g5"');
    expect(cursor.feeds[hUrl]!.seen).toHaveLength(15);
  });

  it('rejects an invalid config with 400 naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels',
      headers: auth,
      payload: { type: 'rss', name: 'Bad', config: { urls: ['ftp://x/feed'] } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/urls\.0/);
  });
});
