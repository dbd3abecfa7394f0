import { EventEmitter } from 'node:events';
import type { Config } from './config.ts';
import type { Bus } from './platform/bus/bus.ts';
import type { Database, Db } from './platform/db/client.ts';
import type { Logger } from './platform/log.ts';

/** Live events for the console (WebSocket): case.created, case.updated, presence, alert. */
export type LiveEvent = { type: string; [k: string]: unknown };

export class LiveHub extends EventEmitter<{ event: [LiveEvent] }> {
  emitEvent(e: LiveEvent) {
    this.emit('event', e);
  }
}

/** Topic matching, provided by the listening module (see `modules/listening/index.ts`). */
export type TopicMatch = { topicId: string; highlights: [number, number][] };
export type MatchablePost = {
  text: string;
  title?: string | undefined;
  channel: string;
  author: { handle: string; externalId: string };
  lang?: string | undefined;
  url?: string | undefined;
  links?: string[] | undefined;
  isRepost?: boolean | undefined;
};
export type Listener = {
  /** Topics whose queries and filters match the post, with highlight spans. */
  match(post: MatchablePost): TopicMatch[];
  /** Re-reads topics from the database (after a change; no restart needed). */
  reload(): Promise<void>;
};

/** Triage signals, provided by the intelligence module. */
export type Signals = {
  lang: string | null;
  sentiment: 'negative' | 'neutral' | 'positive' | null;
  sentimentScore: number | null;
  intent: string | null;
  actionable: boolean | null;
  serviceRecovery: boolean;
  pii: { kind: string; start: number; end: number }[];
  signals: Record<string, unknown>;
};
export type Enricher = {
  enrich(
    text: string,
    ctx: {
      channel: string;
      toBrand: boolean;
      lang?: string | undefined;
      direction?: 'inbound' | 'outbound' | undefined;
      isRepost?: boolean | undefined;
    },
  ): Signals;
  /** Re-reads the active models (after an admin switches one). */
  reload(): Promise<void>;
};

/** What every route, stage and command receives: no globals. */
export type AppContext = {
  config: Config;
  database: Database;
  db: Db;
  bus: Bus;
  log: Logger;
  live: LiveHub;
  listener: Listener;
  enricher: Enricher;
};
