/**
 * The one small interface pipeline stages talk through. In-process by default
 * (`memory-bus.ts`), NATS JetStream when `NATS_URL` is set (`nats-bus.ts`), so API nodes and
 * workers can run as separate processes on several machines.
 */
export type BusHandler = (data: unknown, meta: { subject: string; attempt: number }) => Promise<void>;

export type SubscribeOptions = {
  /** Messages handled at once by this subscriber. */
  concurrency?: number;
  /** Deliveries before a message is given up on (and logged as dead). */
  maxAttempts?: number;
};

export type Bus = {
  readonly kind: 'memory' | 'nats';
  /** Publishes durably (NATS: acknowledged by the stream) before resolving. */
  publish(subject: string, data: unknown): Promise<void>;
  /**
   * A durable competing-consumer subscription: each message goes to one member of `group`, is
   * redelivered with backoff when the handler throws, and acknowledged only after it succeeds.
   */
  subscribe(subject: string, group: string, handler: BusHandler, opts?: SubscribeOptions): Promise<void>;
  /** Stops taking new messages and waits for in-flight handlers to finish. */
  drain(): Promise<void>;
  close(): Promise<void>;
};

/** Backoff between redeliveries: 100 ms, 200 ms, 400 ms … capped at 10 s. */
export function backoffMs(attempt: number): number {
  return Math.min(10_000, 100 * 2 ** Math.max(0, attempt - 1));
}
