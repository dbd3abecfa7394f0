import type { Logger } from '../log.ts';
import { type Bus, type BusHandler, backoffMs, type SubscribeOptions } from './bus.ts';

type Sub = {
  subject: string;
  handler: BusHandler;
  concurrency: number;
  maxAttempts: number;
  queue: { data: unknown; attempt: number }[];
  running: number;
  timers: Set<NodeJS.Timeout>;
};

/**
 * In-process bus. Messages are not durable across a crash: the pipeline recovers by resuming
 * stored-but-unprocessed posts at start, so nothing accepted is lost.
 */
export function createMemoryBus(log?: Logger): Bus & { idle(): Promise<void> } {
  const subs = new Map<string, Sub>();
  let closed = false;
  let waiters: (() => void)[] = [];

  const busy = () => [...subs.values()].some((s) => s.running > 0 || s.queue.length > 0 || s.timers.size > 0);
  const notify = () => {
    if (busy()) return;
    const w = waiters;
    waiters = [];
    for (const fn of w) fn();
  };

  const pump = (sub: Sub) => {
    while (!closed && sub.running < sub.concurrency && sub.queue.length > 0) {
      const msg = sub.queue.shift()!;
      sub.running++;
      sub
        .handler(msg.data, { subject: sub.subject, attempt: msg.attempt })
        .catch((err: unknown) => {
          if (msg.attempt >= sub.maxAttempts) {
            log?.error({ err, subject: sub.subject }, 'bus message failed permanently');
            return;
          }
          const t = setTimeout(() => {
            sub.timers.delete(t);
            sub.queue.push({ data: msg.data, attempt: msg.attempt + 1 });
            pump(sub);
          }, backoffMs(msg.attempt));
          sub.timers.add(t);
        })
        .finally(() => {
          sub.running--;
          pump(sub);
          notify();
        });
    }
    notify();
  };

  return {
    kind: 'memory',
    async publish(subject, data) {
      if (closed) throw new Error('bus is closed');
      for (const sub of subs.values()) {
        if (matches(sub.subject, subject)) {
          sub.queue.push({ data, attempt: 1 });
          pump(sub);
        }
      }
    },
    async subscribe(subject: string, group: string, handler: BusHandler, opts: SubscribeOptions = {}) {
      const key = `${group}:${subject}`;
      if (subs.has(key)) throw new Error(`group ${group} already subscribed to ${subject} in this process`);
      subs.set(key, {
        subject,
        handler,
        concurrency: opts.concurrency ?? 1,
        maxAttempts: opts.maxAttempts ?? 8,
        queue: [],
        running: 0,
        timers: new Set(),
      });
    },
    idle() {
      return busy() ? new Promise<void>((r) => waiters.push(r)) : Promise.resolve();
    },
    async drain() {
      // Retries waiting on a timer are given up: their work is resumed at next start.
      for (const s of subs.values()) {
        for (const t of s.timers) clearTimeout(t);
        s.timers.clear();
      }
      if (busy()) await new Promise<void>((r) => waiters.push(r));
      closed = true;
    },
    async close() {
      closed = true;
      for (const s of subs.values()) for (const t of s.timers) clearTimeout(t);
      subs.clear();
    },
  };
}

/** NATS-style subject matching: `*` one token, `>` the rest. */
export function matches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length) return false;
    if (p[i] !== '*' && p[i] !== s[i]) return false;
  }
  return p.length === s.length;
}
