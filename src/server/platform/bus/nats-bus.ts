import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, nanos } from '@nats-io/transport-node';
import { RuntimeFailure } from '../errors.ts';
import type { Logger } from '../log.ts';
import { type Bus, type BusHandler, backoffMs, type SubscribeOptions } from './bus.ts';

export type NatsBusOptions = {
  url: string;
  /** Stream name and subject prefix; tests use a unique one. */
  stream?: string;
  /** Delete the stream on close (tests). */
  ephemeral?: boolean;
  log?: Logger;
};

/**
 * NATS JetStream bus: one stream per installation capturing `<prefix>.>`, one durable pull
 * consumer per group and subject, explicit acks after the handler succeeds, NAK with backoff on
 * failure, and max_deliver as the dead-letter limit.
 */
export async function createNatsBus(opts: NatsBusOptions): Promise<Bus> {
  const stream = opts.stream ?? 'EARSHOT';
  const prefix = stream.toLowerCase();
  let nc: Awaited<ReturnType<typeof connect>>;
  try {
    nc = await connect({ servers: opts.url, name: `earshot-${process.pid}` });
  } catch (err) {
    throw new RuntimeFailure(`Cannot connect to NATS at ${opts.url}: ${(err as Error).message}`);
  }
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], max_age: nanos(7 * 24 * 3600 * 1000) });
  }
  const js = jetstream(nc);
  const stops: (() => void)[] = [];
  const inflight = new Set<Promise<void>>();
  let closed = false;

  const full = (subject: string) => `${prefix}.${subject}`;

  return {
    kind: 'nats',
    async publish(subject, data) {
      await js.publish(full(subject), JSON.stringify(data));
    },
    async subscribe(subject: string, group: string, handler: BusHandler, o: SubscribeOptions = {}) {
      const durable = `${group}_${subject}`.replace(/[^A-Za-z0-9_-]/g, '_');
      const maxAttempts = o.maxAttempts ?? 8;
      await jsm.consumers.add(stream, {
        durable_name: durable,
        filter_subject: full(subject),
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        max_deliver: maxAttempts,
        ack_wait: nanos(60_000),
      });
      const consumer = await js.consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: Math.max(1, o.concurrency ?? 1) * 2 });
      stops.push(() => messages.stop());
      const limit = Math.max(1, o.concurrency ?? 1);
      let running = 0;
      const slots: (() => void)[] = [];
      const handle = async (m: JsMsg) => {
        const attempt = m.info.deliveryCount;
        try {
          await handler(JSON.parse(m.string()), { subject, attempt });
          m.ack();
        } catch (err) {
          if (attempt >= maxAttempts) {
            opts.log?.error({ err, subject }, 'bus message failed permanently');
            m.term();
          } else m.nak(backoffMs(attempt));
        }
      };
      void (async () => {
        for await (const m of messages) {
          if (closed) break;
          while (running >= limit) await new Promise<void>((r) => slots.push(r));
          running++;
          const p = handle(m).finally(() => {
            running--;
            inflight.delete(p);
            slots.shift()?.();
          });
          inflight.add(p);
        }
      })();
    },
    async drain() {
      closed = true;
      for (const stop of stops) stop();
      await Promise.allSettled([...inflight]);
    },
    async close() {
      closed = true;
      for (const stop of stops) stop();
      await Promise.allSettled([...inflight]);
      if (opts.ephemeral) await jsm.streams.delete(stream).catch(() => false);
      await nc.drain().catch(() => nc.close());
    },
  };
}
