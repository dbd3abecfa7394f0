import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { CLIENT, type FakeReddit, startFakeReddit } from './fake-reddit.ts';

describe.each(drivers)('Reddit channel on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let reddit: FakeReddit;
  let auth: Record<string, string>;
  let channelId: string;
  const stored = (externalId: string) =>
    waitFor(`thing ${externalId}`, async () => {
      const p = (await postsOf(t, 'reddit')).find((x) => x.externalId === externalId);
      return p?.processedAt ? p : null;
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t, { handles: ['NorthwindCares'] });
    scheduler = await useFastScheduler(t);
    reddit = await startFakeReddit();
    reddit.post(
      'northwind',
      'Old post',
      'from before the channel existed, mentions u/NorthwindCares',
      'old_timer',
    );
    channelId = await createChannel(t, auth, {
      type: 'reddit',
      name: 'Reddit',
      config: {
        authUrl: reddit.url,
        apiUrl: reddit.url,
        clientId: CLIENT.id,
        username: CLIENT.username,
        subreddits: ['northwind'],
        intervalSeconds: 0.2,
        minRequestIntervalMs: 0,
      },
      secrets: { clientSecret: CLIENT.secret, password: CLIENT.password },
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await reddit?.close();
    await t?.close();
  });

  it('reads new posts and comments over OAuth, replies with /api/comment and messages with /api/compose', async () => {
    const post = reddit.post(
      'northwind',
      'Internet down in Springfield',
      'u/NorthwindCares my internet has been down for two days, help!',
    );
    const p = await stored(post.data.name);
    expect(p).toMatchObject({
      title: 'Internet down in Springfield',
      toBrand: true,
      threadKey: post.data.name,
      url: `https://www.reddit.com/r/northwind/comments/${post.data.id}/x/`,
    });
    const c = reddit.comment(post, 'same here in Shelbyville');
    const cp = await stored(c.data.name);
    expect(cp).toMatchObject({ inReplyTo: post.data.name, threadKey: post.data.name });
    expect(cp.caseId).toBe(p.caseId);
    const health = (await channelRow(t, channelId)).health as unknown as { tokenExpiresAt: string };
    expect(Date.parse(health.tokenExpiresAt)).toBeGreaterThan(Date.now() + 3_600_000);

    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p.caseId}/replies`,
      headers: auth,
      payload: { mode: 'public', text: 'Sorry to hear! We are checking the area.' },
    });
    const reply = await waitFor('comment posted', () => reddit.comments[0]);
    expect(reply.text).toBe('Sorry to hear! We are checking the area.');
    expect([post.data.name, c.data.name]).toContain(reply.thing_id);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p.caseId}/replies`,
      headers: auth,
      payload: { mode: 'private', text: 'Please send us your address.' },
    });
    expect(await waitFor('message sent', () => reddit.messages[0])).toMatchObject({
      to: 'jane_r',
      text: 'Please send us your address.',
    });
  });

  it('backs off on 500, waits out 429, skips nothing after a truncated body, and pages back after downtime', async () => {
    const before = (await postsOf(t, 'reddit')).length;
    reddit.failNext(500);
    reddit.failNext('truncated');
    reddit.failNext(429);
    const a = reddit.post('northwind', 'Billing', 'u/NorthwindCares charged twice');
    await stored(a.data.name);
    const h = (await channelRow(t, channelId)).health as unknown as { lastError: string };
    expect(h.lastError).toMatch(/429|malformed JSON|500/);

    await scheduler.stop();
    // Seven posts while down: more than one page (pages of 3 in the fake).
    const down = Array.from({ length: 7 }, (_, i) =>
      reddit.post('northwind', `Down ${i}`, `u/NorthwindCares outage report ${i}`),
    );
    scheduler = await useFastScheduler(t);
    for (const d of down) await stored(d.data.name);
    const all = await postsOf(t, 'reddit');
    expect(all.length).toBe(before + 8);
    expect(new Set(all.map((p) => p.externalId)).size).toBe(all.length);
    expect(reddit.requests.some((r) => r.url.includes('after=t3_'))).toBe(true);
  });
});
