import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NormalisedPostInput, normalisedPostSchema } from '../../../common/post.schema.ts';
import { channels } from '../../modules/channels/channels.schema.ts';
import { ingestPosts } from '../../pipeline/ingest.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { registerReader } from '../registry.ts';
import { channelRow, postsOf, setUpBrand, useFastScheduler, waitFor } from '../testing/connector-test-kit.ts';
import { backoffWithJitter } from './backoff.ts';
import type { ChannelScheduler } from './channel-scheduler.ts';
import { startChannelScheduler } from './channel-scheduler.ts';
import { RateLimitedError, RemoteError } from './reader.ts';

type Fault = 'error' | 'rate-limit' | 'crash-after-ingest';

/** A scripted remote: numbered events, faults injected per session, session start times recorded. */
function scriptedRemote(type: string) {
  const state = {
    events: 0,
    faults: [] as Fault[],
    sessions: [] as { at: number; from: number }[],
    retryAt: 0,
  };
  const post = (n: number): NormalisedPostInput => ({
    channel: type,
    externalId: `ev-${n}`,
    author: { externalId: 'u1', handle: 'jane' },
    text: `event ${n}`,
    createdAt: new Date(1_700_000_000_000 + n * 1000).toISOString(),
    toBrand: true,
  });
  registerReader(type, async (s) => {
    const from = Number((s.cursor as { n?: number }).n ?? 0);
    state.sessions.push({ at: Date.now(), from });
    const fault = state.faults.shift();
    if (fault === 'error') throw new RemoteError('remote answered 500', 500);
    if (fault === 'rate-limit') {
      state.retryAt = Date.now() + 150;
      throw new RateLimitedError('remote answered 429', state.retryAt);
    }
    const to = Math.min(state.events, from + 5);
    const batch = Array.from({ length: to - from }, (_, i) => post(from + i));
    if (fault === 'crash-after-ingest') {
      // Stored, but the process "dies" before the cursor is saved: the next session re-reads.
      await ingestPosts(
        s.ctx,
        batch.map((p) => normalisedPostSchema.parse(p)),
        { channelId: s.channel.id },
      );
      throw new Error('crashed after ingest');
    }
    if (batch.length) await s.commit(batch, { n: to });
    return { waitMs: to < state.events ? 0 : 20 };
  });
  return state;
}

describe.each(drivers)('ingestion scheduler on %s', (driver) => {
  let t: TestApp;
  let scheduler: ChannelScheduler;

  beforeAll(async () => {
    t = await createTestApp(driver);
    await setUpBrand(t);
    scheduler = await useFastScheduler(t);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await t?.close();
  });

  const addChannel = async (type: string) => {
    const [row] = await t.ctx.db
      .insert(channels)
      .values({ type, name: `${type}-${Date.now()}`, config: {} })
      .returning();
    await t.ctx.bus.publish('channel.changed', { channelId: row!.id });
    return row!.id;
  };

  it('reads from the cursor, stores it after each durable ingest, and records health', async () => {
    const type = `scripted-a-${driver}`;
    const remote = scriptedRemote(type);
    remote.events = 12;
    const id = await addChannel(type);
    await waitFor('12 posts stored', async () => (await postsOf(t, type)).length === 12);
    const row = await waitFor('cursor at 12', async () => {
      const r = await channelRow(t, id);
      return (r.cursor as { n?: number }).n === 12 ? r : null;
    });
    const health = row.health as Record<string, unknown>;
    expect(health.status).toBe('ok');
    expect(health.received).toBe(12);
    expect(typeof health.lastSuccessAt).toBe('string');
    expect(health.consecutiveFailures).toBe(0);
    // Sessions resumed where the previous one stopped: 0, 5, 10, then idle polls at 12.
    expect(remote.sessions.slice(0, 3).map((s) => s.from)).toEqual([0, 5, 10]);
  });

  it('backs off with growing delays on failures, shows the error in health, and recovers', async () => {
    const type = `scripted-b-${driver}`;
    const remote = scriptedRemote(type);
    remote.events = 3;
    remote.faults = ['error', 'error', 'error'];
    const id = await addChannel(type);
    const failing = await waitFor('3 failures in health', async () => {
      const h = (await channelRow(t, id)).health as Record<string, unknown>;
      return h.consecutiveFailures === 3 ? h : null;
    });
    expect(failing.status).toBe('error');
    expect(failing.lastError).toMatch(/500/);
    await waitFor('recovered', async () => (await postsOf(t, type)).length === 3);
    await waitFor(
      'health ok again',
      async () => ((await channelRow(t, id)).health as { status: string }).status === 'ok',
    );
    const gaps = remote.sessions.slice(1, 4).map((s, i) => s.at - remote.sessions[i]!.at);
    // Equal jitter: the n-th retry waits at least half of base·2^(n-1) (40 ms base in tests).
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
  });

  it("waits for the remote's rate-limit reset before trying again", async () => {
    const type = `scripted-c-${driver}`;
    const remote = scriptedRemote(type);
    remote.events = 2;
    remote.faults = ['rate-limit'];
    await addChannel(type);
    await waitFor('posts after the rate limit', async () => (await postsOf(t, type)).length === 2);
    expect(remote.sessions[1]!.at).toBeGreaterThanOrEqual(remote.retryAt);
  });

  it('re-reads after a crash between ingest and cursor save: no duplicate, no gap', async () => {
    const type = `scripted-d-${driver}`;
    const remote = scriptedRemote(type);
    remote.events = 8;
    remote.faults = ['crash-after-ingest'];
    const id = await addChannel(type);
    await waitFor('cursor at 8', async () => ((await channelRow(t, id)).cursor as { n?: number }).n === 8);
    const stored = await postsOf(t, type);
    expect(stored.map((p) => p.externalId).sort()).toEqual(
      Array.from({ length: 8 }, (_, i) => `ev-${i}`).sort(),
    );
    expect(((await channelRow(t, id)).health as unknown as { duplicates: number }).duplicates).toBe(5);
  });

  it('resumes after a restart from the stored cursor, and stops a disabled channel', async () => {
    const type = `scripted-e-${driver}`;
    const remote = scriptedRemote(type);
    remote.events = 5;
    const id = await addChannel(type);
    await waitFor('first 5', async () => ((await channelRow(t, id)).cursor as { n?: number }).n === 5);
    await scheduler.stop();
    expect(((await channelRow(t, id)).health as { leaseOwner?: string }).leaseOwner).toBeUndefined();
    remote.events = 9; // arrived while Earshot was down
    const before = remote.sessions.length;
    scheduler = await useFastScheduler(t);
    await waitFor(
      'backfilled to 9',
      async () => ((await channelRow(t, id)).cursor as { n?: number }).n === 9,
    );
    expect(remote.sessions[before]!.from).toBe(5);
    expect((await postsOf(t, type)).map((p) => p.externalId).sort()).toEqual(
      Array.from({ length: 9 }, (_, i) => `ev-${i}`).sort(),
    );

    await t.ctx.db.update(channels).set({ enabled: false, updatedAt: new Date() }).where(eq(channels.id, id));
    await t.ctx.bus.publish('channel.changed', { channelId: id });
    await waitFor('reader stopped', () => !scheduler.running().includes(id));
  });

  it('lets only one of two schedulers read a channel (lease)', async () => {
    const type = `scripted-f-${driver}`;
    const remote = scriptedRemote(type);
    remote.events = 10;
    const other = await startChannelScheduler(t.ctx, {
      backoff: { baseMs: 40, maxMs: 400 },
      reloadMs: 200,
      leaseMs: 3000,
    });
    try {
      const id = await addChannel(type);
      await other.reload();
      await scheduler.reload();
      await waitFor('10 stored', async () => (await postsOf(t, type)).length === 10);
      const h = (await channelRow(t, id)).health as { duplicates?: number };
      expect(h.duplicates ?? 0).toBe(0);
      expect(new Set(remote.sessions.slice(0, 2).map((s) => s.from))).toEqual(new Set([0, 5]));
    } finally {
      await other.stop();
    }
  });
});

describe('backoff with jitter', () => {
  it('grows exponentially, stays within [half, full] of the step, and is capped', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(backoffWithJitter(1, opts, () => 0)).toBe(50);
    expect(backoffWithJitter(1, opts, () => 1)).toBe(100);
    expect(backoffWithJitter(3, opts, () => 0)).toBe(200);
    expect(backoffWithJitter(20, opts, () => 1)).toBe(1000);
  });
});
