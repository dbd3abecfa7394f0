import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '../../platform/db/schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import type { ChannelScheduler } from '../ingestion/channel-scheduler.ts';
import {
  channelRow,
  createChannel,
  postsOf,
  setUpBrand,
  useFastScheduler,
  waitFor,
} from '../testing/connector-test-kit.ts';
import { APP_TOKEN, type FakeX, startFakeX, tweetId, USER_TOKEN } from './fake-x.ts';
import type { XTweet, XUser } from './map-tweet.ts';
import { topicRule } from './topic-rule.ts';

const JANE: XUser = {
  id: '501',
  username: 'jane_doe',
  name: 'Jane Doe',
  public_metrics: { followers_count: 42 },
};
const BRAND_ID = '900';

function mention(
  text = '@northwindcares my internet is down again, please help',
  over: Partial<XTweet> = {},
): XTweet {
  const id = tweetId();
  return {
    id,
    text,
    author_id: JANE.id,
    created_at: new Date().toISOString(),
    conversation_id: id,
    lang: 'en',
    entities: { mentions: [{ username: 'northwindcares', id: BRAND_ID }] },
    public_metrics: { retweet_count: 0, reply_count: 0, like_count: 1, quote_count: 0 },
    ...over,
  };
}

describe('topic queries as X rules', () => {
  it('translates the shared boolean subset and refuses what X cannot express', () => {
    expect(topicRule('"internet down" AND (comcast OR xfinity) NOT spam', 512)).toBe(
      '"internet down" (comcast OR xfinity) -spam',
    );
    expect(topicRule('outage -test', 512)).toBe('outage -test');
    expect(topicRule('lang:en outage', 512)).toBeNull();
    expect(topicRule('modem NEAR/3 broken', 512)).toBeNull();
    expect(topicRule('netw*', 512)).toBeNull();
    expect(topicRule('a'.repeat(600), 512)).toBeNull();
  });
});

describe.each(drivers)('X channel (API v2) on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let x: FakeX;
  let auth: Record<string, string>;
  let channelId: string;
  const stored = (externalId: string) =>
    waitFor(`post ${externalId}`, async () => {
      const p = (await postsOf(t, 'x')).find((r) => r.externalId === externalId);
      return p?.processedAt ? p : null;
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t);
    await t.ctx.db.insert(topics).values([
      { name: 'Outages', query: '"internet down" AND (comcast OR xfinity)' },
      { name: 'Fielded', query: 'lang:en outage' },
    ]);
    scheduler = await useFastScheduler(t);
    x = await startFakeX();
    channelId = await createChannel(t, auth, {
      type: 'x',
      name: 'X',
      config: {
        apiBaseUrl: x.url,
        brandUsername: 'northwindcares',
        brandUserId: BRAND_ID,
        rules: [{ value: 'northwind outage -is:retweet', tag: 'outage' }],
        flushMs: 20,
        idleTimeoutSeconds: 2,
      },
      secrets: { bearerToken: APP_TOKEN, userAccessToken: USER_TOKEN },
    });
    await waitFor('stream open', () => x.openStreams() === 1);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await x?.close();
    await t?.close();
  });

  it('keeps its stream rules in sync with the brand, configured rules and topics, leaving other rules alone', async () => {
    const values = x.rules.map((r) => `${r.tag}=${r.value}`);
    expect(values).toHaveLength(4);
    expect(values).toEqual(
      expect.arrayContaining([
        'earshot:brand=@northwindcares OR to:northwindcares',
        'earshot:outage=northwind outage -is:retweet',
        expect.stringMatching(/^earshot:topic:[0-9a-f-]+="internet down" \(comcast OR xfinity\)$/),
        'someone-else=cats has:images',
      ]),
    );
    const h = (await channelRow(t, channelId)).health as unknown as { topicsWithoutRule: string[] };
    expect(h.topicsWithoutRule).toEqual(['Fielded']);
  });

  it('reads the filtered stream, replies with reply.in_reply_to_tweet_id and sends DMs', async () => {
    const tw = mention();
    x.post(tw, JANE);
    const p = await stored(tw.id);
    expect(p).toMatchObject({
      toBrand: true,
      threadKey: tw.id,
      lang: 'en',
      url: `https://x.com/jane_doe/status/${tw.id}`,
    });
    expect(p.caseId).toBeTruthy();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p.caseId}/replies`,
      headers: auth,
      payload: { mode: 'public', text: 'Sorry Jane! Looking into it.' },
    });
    expect(await waitFor('reply', () => x.tweets[0])).toEqual({
      text: 'Sorry Jane! Looking into it.',
      reply: { in_reply_to_tweet_id: tw.id },
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p.caseId}/replies`,
      headers: auth,
      payload: { mode: 'private', text: 'Could you DM your account number?' },
    });
    expect(await waitFor('dm', () => x.dms[0])).toEqual({
      participant: JANE.id,
      text: 'Could you DM your account number?',
    });
  });

  it('skips truncated JSON, waits out a 429 on reconnect, and fills gaps with recent search after a drop and a restart', async () => {
    const before = (await postsOf(t, 'x')).length;
    x.writeRaw('{"data":{"id":"123","text":"trunc\r\n');
    const a = mention('@northwindcares first');
    x.post(a, JANE);
    await stored(a.id);

    x.rejectNextStream(1);
    x.dropStreams();
    const missed = [
      mention('@northwindcares while disconnected 1'),
      mention('@northwindcares while disconnected 2'),
      mention('@northwindcares while disconnected 3'),
    ];
    for (const m of missed) x.archive.push({ tweet: m, user: JANE }); // posted while no stream was open
    for (const m of missed) await stored(m.id);
    // Initial connection, the one refused with 429, and the one after the reset.
    await waitFor(
      'reconnected after the 429',
      () =>
        x.requests.filter((r) => r.url.startsWith('/2/tweets/search/stream?')).length >= 3 &&
        x.openStreams() === 1,
    );
    expect(((await channelRow(t, channelId)).health as unknown as { lastError: string }).lastError).toMatch(
      /429: rate limited until/,
    );
    const search = x.requests.find((r) => r.url.startsWith('/2/tweets/search/recent'))!;
    const q = new URL(search.url, 'http://x').searchParams;
    expect(q.get('since_id')).toBe(a.id);
    expect(q.get('query')).toContain('(@northwindcares OR to:northwindcares)');

    await scheduler.stop();
    const down = mention('@northwindcares while Earshot was down');
    x.archive.push({ tweet: down, user: JANE });
    scheduler = await useFastScheduler(t);
    await stored(down.id);
    const all = await postsOf(t, 'x');
    expect(all.length).toBe(before + 5);
    expect(new Set(all.map((p) => p.externalId)).size).toBe(all.length);
    expect(
      ((await channelRow(t, channelId)).health as unknown as { dropped: number }).dropped,
    ).toBeGreaterThanOrEqual(1);
  });
});
