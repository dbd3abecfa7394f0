import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Bus } from './bus.ts';
import { createMemoryBus, matches } from './memory-bus.ts';
import { createNatsBus } from './nats-bus.ts';

type Make = () => Promise<Bus>;
const kinds: [string, Make][] = [['memory', async () => createMemoryBus()]];
if (process.env.NATS_URL) {
  kinds.push([
    'nats',
    () =>
      createNatsBus({
        url: process.env.NATS_URL!,
        stream: `EARSHOT_T${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
        ephemeral: true,
      }),
  ]);
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(kinds)('%s bus', (_name, make) => {
  let bus: Bus | undefined;
  afterEach(async () => {
    await bus?.close();
  });

  it('delivers each message once to a group, in order with concurrency 1', async () => {
    bus = await make();
    const got: number[] = [];
    await bus.subscribe('post.stored', 'g1', async (d) => {
      got.push((d as { n: number }).n);
    });
    for (let n = 0; n < 20; n++) await bus.publish('post.stored', { n });
    await until(() => got.length === 20);
    expect(got).toEqual([...Array(20).keys()]);
  });

  it('redelivers after a failing handler and acknowledges only on success', async () => {
    bus = await make();
    const attempts: number[] = [];
    await bus.subscribe('job.x', 'g2', async (_d, meta) => {
      attempts.push(meta.attempt);
      if (meta.attempt < 3) throw new Error('transient');
    });
    await bus.publish('job.x', { id: 1 });
    await until(() => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('drains in-flight handlers before closing', async () => {
    bus = await make();
    let done = 0;
    await bus.subscribe('slow', 'g3', async () => {
      await new Promise((r) => setTimeout(r, 100));
      done++;
    });
    await bus.publish('slow', {});
    await until(() => done === 0 && true);
    await new Promise((r) => setTimeout(r, 30));
    await bus.drain();
    expect(done).toBe(1);
  });
});

describe('subject matching', () => {
  it('follows NATS wildcards', () => {
    expect(matches('case.*', 'case.assigned')).toBe(true);
    expect(matches('case.*', 'case.a.b')).toBe(false);
    expect(matches('case.>', 'case.a.b')).toBe(true);
    expect(matches('post.stored', 'post.processed')).toBe(false);
  });
});
