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
import { type FakeMastodon, startFakeMastodon, status } from './fake-mastodon.ts';

const TOKEN = 'mastodon-token-123';

describe.each(drivers)('Mastodon channel on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let mast: FakeMastodon;
  let auth: Record<string, string>;
  let channelId: string;
  const stored = (externalId: string) =>
    waitFor(`status ${externalId}`, async () => {
      const p = (await postsOf(t, 'mastodon')).find((x) => x.externalId === externalId);
      return p?.processedAt ? p : null;
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t, { handles: ['northwind@mastodon.example'] });
    scheduler = await useFastScheduler(t);
    mast = await startFakeMastodon(TOKEN);
    mast.mention(status({ content: '<p>@northwind an old mention from before Earshot</p>' }));
    channelId = await createChannel(t, auth, {
      type: 'mastodon',
      name: 'Mastodon',
      config: {
        instanceUrl: mast.url,
        streams: [{ type: 'user' }, { type: 'hashtag', tag: 'northwind' }],
        flushMs: 20,
        idleTimeoutSeconds: 2,
      },
      secrets: { accessToken: TOKEN },
    });
    await waitFor('two streams open', () => mast.openStreams() === 2);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await mast?.close();
    await t?.close();
  });

  it('reads mentions, DMs and hashtag posts from the streaming API and replies with in_reply_to_id and direct visibility', async () => {
    const s1 = status();
    mast.mention(s1);
    const p1 = await stored(s1.id);
    expect(p1).toMatchObject({
      text: '@northwind my modem keeps dropping the connection, please help',
      toBrand: true,
      isPrivate: false,
      lang: 'en',
      url: s1.url,
    });
    expect(p1.caseId).toBeTruthy();

    const bob = { id: '8', acct: 'bob', username: 'bob', display_name: 'Bob' };
    const dm = status({
      account: bob,
      visibility: 'direct',
      content: '<p>@northwind my account number is in here, help</p>',
    });
    mast.mention(dm);
    const dmPost = await stored(dm.id);
    expect(dmPost.isPrivate).toBe(true);
    // A local account's acct has no domain: the instance is added so handles are global.
    expect((await postsOf(t, 'mastodon')).find((p) => p.externalId === dm.id)!.raw).toMatchObject({
      visibility: 'direct',
    });

    const tagged = status({
      account: { id: '9', acct: 'carol@elsewhere.example', username: 'carol' },
      mentions: [],
      content:
        '<p>Is <a href="https://mastodon.example/tags/northwind">#northwind</a> down for everyone? @northwind@mastodon.example</p>',
    });
    mast.tag('northwind', tagged);
    await stored(tagged.id);

    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p1.caseId}/replies`,
      headers: auth,
      payload: { mode: 'public', text: 'Sorry! Which area are you in?' },
    });
    const reply = await waitFor('public reply', () => mast.posted[0]);
    expect(reply.body).toEqual({
      status: '@jane@social.example Sorry! Which area are you in?',
      in_reply_to_id: s1.id,
      visibility: 'public',
    });
    expect(reply.idempotencyKey).toMatch(/^earshot-/);

    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p1.caseId}/replies`,
      headers: auth,
      payload: { mode: 'private', text: 'Please send us your postcode.' },
    });
    const priv = await waitFor('direct reply', () => mast.posted[1]);
    expect(priv.body).toMatchObject({
      visibility: 'direct',
      status: '@jane@social.example Please send us your postcode.',
    });
  });

  it('fills gaps after a dropped stream and a restart from the stored ids, and backs off on 429 and 500', async () => {
    const before = await postsOf(t, 'mastodon');
    // Malformed event data is counted and skipped; the stream carries on.
    mast.sendRaw('user', 'event: notification\ndata: {"id":"1","type":"mention","status":{"id\n\n');
    mast.dropStreams();
    const missed = status();
    mast.mention(missed); // while no stream is open
    await stored(missed.id);

    await scheduler.stop();
    const whileDown = [status(), status()];
    for (const s of whileDown) mast.mention(s);
    mast.failNext('/api/v1/accounts/verify_credentials', 429);
    mast.failNext('/api/v1/notifications', 500, 2);
    scheduler = await useFastScheduler(t);
    for (const s of whileDown) await stored(s.id);
    const h = (await channelRow(t, channelId)).health as unknown as {
      consecutiveFailures: number;
      lastError?: string;
    };
    expect(h.lastError).toMatch(/500|429/);
    const after = await postsOf(t, 'mastodon');
    expect(after.length).toBe(before.length + 3);
    expect(new Set(after.map((p) => p.externalId)).size).toBe(after.length);
    const verifies = mast.requests.filter(
      (r) => r.url.startsWith('/api/v1/notifications') && r.url.includes('min_id='),
    );
    expect(verifies.length).toBeGreaterThan(0);
  });
});
