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
import {
  type FakeJetstream,
  type FakePds,
  fakeCid,
  postEvent,
  startFakeJetstream,
  startFakePds,
} from './fake-bluesky.ts';

const BRAND = { did: 'did:plc:northwindbrand', handle: 'northwind.bsky.social', password: 'app-pass-1234' };
const JANE = 'did:plc:janecustomer';
const mention = (did: string) => [
  { index: { byteStart: 0, byteEnd: 22 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] },
];

describe.each(drivers)('Bluesky channel (Jetstream + AT Protocol) on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;
  let jet: FakeJetstream;
  let pds: FakePds;
  let auth: Record<string, string>;
  let channelId: string;
  let clock = Date.now() * 1000 - 5_000_000;
  const tick = () => (clock += 1000);
  const uri = (did: string, rkey: string) => `at://${did}/app.bsky.feed.post/${rkey}`;
  const stored = (externalId: string) =>
    waitFor(`post ${externalId}`, async () => {
      const p = (await postsOf(t, 'bluesky')).find((x) => x.externalId === externalId);
      return p?.processedAt ? p : null;
    });

  beforeAll(async () => {
    t = await createTestApp(driver);
    auth = await setUpBrand(t, { handles: [BRAND.handle] });
    scheduler = await useFastScheduler(t);
    jet = await startFakeJetstream();
    pds = await startFakePds(BRAND);
    channelId = await createChannel(t, auth, {
      type: 'bluesky',
      name: 'Bluesky',
      config: {
        jetstreamUrl: jet.url,
        brandDid: BRAND.did,
        service: pds.url,
        identifier: BRAND.handle,
        flushMs: 20,
      },
      secrets: { appPassword: BRAND.password },
    });
    await waitFor('jetstream connection', () => jet.connections.length > 0);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await jet?.close();
    await pds?.close();
    await t?.close();
  });

  it('reads posts from Jetstream and replies with correct reply.root/reply.parent strong refs', async () => {
    expect(jet.connections[0]!.getAll('wantedCollections')).toEqual(['app.bsky.feed.post']);
    jet.emit({
      did: JANE,
      time_us: tick(),
      kind: 'identity',
      identity: { did: JANE, handle: 'jane.bsky.social' },
    });
    const rootText = '@northwind.bsky.social my internet has been down since yesterday, please help';
    const rootEv = postEvent(JANE, '3kroot', tick(), rootText, { facets: mention(BRAND.did), langs: ['en'] });
    jet.emit(rootEv, postEvent('did:plc:someoneelse', '3kother', tick(), 'lovely weather today'));
    const root = await stored(uri(JANE, '3kroot'));
    expect(root).toMatchObject({
      text: rootText,
      toBrand: true,
      lang: 'en',
      threadKey: uri(JANE, '3kroot'),
      url: `https://bsky.app/profile/${JANE}/post/3kroot`,
    });
    expect((root.raw as { cid: string }).cid).toBe(rootEv.commit!.cid);
    expect(root.caseId).toBeTruthy();

    // The customer's post lives on the network: the PDS/AppView knows it.
    pds.records.set(uri(JANE, '3kroot'), { cid: rootEv.commit!.cid!, value: rootEv.commit!.record as never });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${root.caseId}/replies`,
      headers: auth,
      payload: { mode: 'public', text: 'Sorry Jane, we are on it.' },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const first = await waitFor('reply created', () => pds.created[0]);
    expect(first.collection).toBe('app.bsky.feed.post');
    expect(first.repo).toBe(BRAND.did);
    const rootRef = { uri: uri(JANE, '3kroot'), cid: rootEv.commit!.cid! };
    expect(first.record).toMatchObject({
      $type: 'app.bsky.feed.post',
      text: 'Sorry Jane, we are on it.',
      reply: { root: rootRef, parent: rootRef },
    });

    // Jane answers our reply: the next reply's parent is her answer, its root still the first post.
    const ours = [...pds.records.keys()].find((k) => k.startsWith(`at://${BRAND.did}/`))!;
    const oursRef = { uri: ours, cid: pds.records.get(ours)!.cid };
    const answer = postEvent(JANE, '3kanswer', tick(), 'still down, any news?', {
      reply: { root: rootRef, parent: oursRef },
    });
    jet.emit(answer);
    const answered = await stored(uri(JANE, '3kanswer'));
    expect(answered.caseId).toBe(root.caseId);
    expect(answered.toBrand).toBe(true);
    pds.records.set(uri(JANE, '3kanswer'), {
      cid: answer.commit!.cid!,
      value: answer.commit!.record as never,
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${root.caseId}/replies`,
      headers: auth,
      payload: { mode: 'public', text: 'A technician comes today.' },
    });
    const second = await waitFor('second reply', () => pds.created[1]);
    expect(second.record).toMatchObject({
      reply: { root: rootRef, parent: { uri: uri(JANE, '3kanswer'), cid: answer.commit!.cid } },
    });

    // Private: a chat message through the chat service proxy.
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${root.caseId}/replies`,
      headers: auth,
      payload: { mode: 'private', text: 'Can you DM us your account number?' },
    });
    const dm = await waitFor('chat message', () => pds.messages[0]);
    expect(dm).toMatchObject({
      convoId: `convo-${JANE.slice(-6)}`,
      text: 'Can you DM us your account number?',
      proxy: 'did:web:api.bsky.chat#bsky_chat',
    });
  });

  it('survives a dropped socket, truncated JSON, duplicate and out-of-order events, and resumes from the time_us cursor after a restart', async () => {
    const base = (await postsOf(t, 'bluesky')).length;
    const ev = (rkey: string, at = tick()) =>
      postEvent(JANE, rkey, at, `@northwind.bsky.social ${rkey}`, { facets: mention(BRAND.did) });
    const a = ev('3ka');
    jet.emit(a);
    jet.emitRaw('{"did":"did:plc:x","time_us":17000000,"kind":"comm');
    jet.emit(a); // duplicate delivery
    const later = ev('3kc');
    const earlier = ev('3kb', later.time_us - 500); // out of order
    jet.emit(later, earlier);
    await stored(uri(JANE, '3kc'));
    await stored(uri(JANE, '3kb'));
    const h = (await channelRow(t, channelId)).health as unknown as { dropped?: number };
    expect(h.dropped ?? 0).toBeGreaterThanOrEqual(1);

    // The socket dies; events keep happening; the reader reconnects from its cursor.
    const before = jet.connections.length;
    jet.dropAll();
    jet.emit(ev('3kd'));
    await waitFor('reconnected', () => jet.connections.length > before);
    await stored(uri(JANE, '3kd'));
    const resumedFrom = Number(jet.connections.at(-1)!.get('cursor'));
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(later.time_us);

    // Restart: what happened while Earshot was down is replayed from the stored cursor.
    await scheduler.stop();
    const cursor = ((await channelRow(t, channelId)).cursor as { timeUs: number }).timeUs;
    jet.emit(ev('3ke'), ev('3kf'));
    scheduler = await useFastScheduler(t);
    await stored(uri(JANE, '3kf'));
    await stored(uri(JANE, '3ke'));
    expect(Number(jet.connections.at(-1)!.get('cursor'))).toBe(cursor - 2_000_000);
    const all = await postsOf(t, 'bluesky');
    expect(all.length).toBe(base + 6);
    expect(new Set(all.map((p) => p.externalId)).size).toBe(all.length);
    expect(fakeCid('x')).toMatch(/^b[a-z2-7]{58}$/);
  });
});
