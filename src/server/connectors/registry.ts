import type { channels } from '../modules/channels/channels.schema.ts';
import type { outbox } from '../modules/responses/responses.schema.ts';
import type { ChannelReader } from './ingestion/reader.ts';

export type OutboxItem = typeof outbox.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;

/** What a connector does to deliver one outbound message; returns the channel's id for it. */
export type Sender = (item: OutboxItem, channel: ChannelRow | null) => Promise<{ externalId: string }>;

const senders = new Map<string, Sender>();

/**
 * Outbound messages reach channels only through this registry, so modules never import a
 * connector. Each connector registers the channel types it can write to.
 */
export function registerSender(channelType: string, sender: Sender): void {
  senders.set(channelType, sender);
}

export function senderFor(channelType: string): Sender | undefined {
  return senders.get(channelType);
}

export function writableChannelTypes(): string[] {
  return [...senders.keys()];
}

export type ReaderOptions = {
  /** Minimum spacing between requests to the remote (throttle), unless the channel's config sets `minRequestIntervalMs`. */
  minRequestIntervalMs?: number;
};

const readers = new Map<string, { read: ChannelReader; options: ReaderOptions }>();

/**
 * Inbound: each connector registers the reader of its channel type; the ingestion scheduler
 * (`ingestion/channel-scheduler.ts`) runs one per enabled channel of that type.
 */
export function registerReader(channelType: string, read: ChannelReader, options: ReaderOptions = {}): void {
  readers.set(channelType, { read, options });
}

export function readerFor(channelType: string): { read: ChannelReader; options: ReaderOptions } | undefined {
  return readers.get(channelType);
}
