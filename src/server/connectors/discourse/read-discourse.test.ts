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
import { API, type FakeDiscourse, startFakeDiscourse } from './fake-discourse.ts';

describe.each(drivers)('Discourse channel on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let forum: FakeDiscourse;
  let auth: Record<string, string>;
  let channelId: string;
  const stored = (id: number) =>
    waitFor(`forum post ${id}`, async () => {
      const p = (await postsOf(t, 'discourse')).find((x) => x.externalId === String(id));
      return p?.processedAt ? p : null;
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t, { handles: [API.username] });
    scheduler = await useFastScheduler(t);
    forum = await startFakeDiscourse();
    forum.write('old_member', 1, 'a post from before the channel');
    channelId = await createChannel(t, auth, {
      type: 'discourse',
      name: 'Community forum',
      config: { baseUrl: forum.url, apiUsername: API.username, intervalSeconds: 0.2 },
      secrets: { apiKey: API.key },
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await forum?.close();
    await t?.close();
  });

  it('reads the latest posts and replies in the topic with Api-Key, reply_to_post_number and private messages', async () => {
    const q = forum.write(
      'jane',
      7,
      `@${API.username} my router reboots every hour, firmware 2.1 — any fix?`,
    );
    const p = await stored(q.id);
    expect(p).toMatchObject({
      threadKey: 'topic:7',
      title: 'Topic 7',
      toBrand: true,
      url: `${forum.url}/t/topic-7/7/1`,
    });
    expect(p.caseId).toBeTruthy();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p.caseId}/replies`,
      headers: auth,
      payload: { mode: 'public', text: 'Firmware 2.2 fixes this; it rolls out tonight.' },
    });
    const reply = await waitFor('reply posted', () => forum.created[0]);
    expect(reply).toEqual({
      body: { topic_id: 7, raw: 'Firmware 2.2 fixes this; it rolls out tonight.', reply_to_post_number: 1 },
      apiUsername: API.username,
    });

    // Jane answers the brand: the reply joins the case.
    const answer = forum.write('jane', 7, 'thanks, will check tomorrow', {
      reply_to_post_number: 2,
      reply_to_user: { username: API.username },
    });
    expect((await stored(answer.id)).caseId).toBe(p.caseId);

    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${p.caseId}/replies`,
      headers: auth,
      payload: { mode: 'private', text: 'Can you send us your serial number?' },
    });
    const pm = await waitFor('private message', () => forum.created[1]);
    expect(pm.body).toMatchObject({
      archetype: 'private_message',
      target_recipients: 'jane',
      raw: 'Can you send us your serial number?',
    });
  });

  it('recovers from 500, 429 and truncated JSON, and pages back with before= after downtime', async () => {
    forum.failNext(500);
    forum.failNext('truncated');
    forum.failNext(429);
    const a = forum.write('bob', 8, `@${API.username} billing question`, {
      reply_to_user: { username: API.username },
    });
    await stored(a.id);
    expect(((await channelRow(t, channelId)).health as unknown as { lastError: string }).lastError).toMatch(
      /500|malformed|429/,
    );

    await scheduler.stop();
    const down = Array.from({ length: 9 }, (_, i) =>
      forum.write(`user${i}`, 20 + i, `@${API.username} outage ${i}`, {
        reply_to_user: { username: API.username },
      }),
    );
    const modAction = forum.write('mod', 8, 'moved to billing', { post_type: 3 });
    scheduler = await useFastScheduler(t);
    for (const d of down) await stored(d.id);
    const all = await postsOf(t, 'discourse');
    const expected = new Set([a, ...down].map((p) => String(p.id)));
    expect(all.filter((p) => expected.has(p.externalId))).toHaveLength(10);
    expect(all.some((p) => p.externalId === String(modAction.id))).toBe(false);
    // The brand's own replies come back from the forum as outbound posts of the case.
    expect(all.filter((p) => p.direction === 'outbound').length).toBeGreaterThanOrEqual(1);
    expect(new Set(all.map((p) => p.externalId)).size).toBe(all.length);
    expect(forum.requests.some((r) => r.url.startsWith('/posts.json?before='))).toBe(true);
  });
});
