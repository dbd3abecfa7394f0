import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { sharedDataPath } from '../../platform/shared-data.ts';
import { enrichPost, type TriageModels } from './enrich-post.ts';
import { trainClassifier } from './train-classifier.ts';

export type TriageBenchResult = {
  posts: number;
  /** Every signal per post (language, sentiment, intent, actionable, PII, service recovery). */
  enrichPerSecond: number;
  /** The same, with trained sentiment and actionable models active. */
  enrichWithModelsPerSecond: number;
  /** Baseline in the same run: splitting the post into lower-cased words. */
  tokenizePerSecond: number;
  /** enrich rate ÷ tokenisation rate. */
  ratio: number;
};

function rate(texts: string[], fn: (t: string) => unknown, minMs = 1500): number {
  for (const t of texts.slice(0, 500)) fn(t); // warm-up
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    for (const t of texts) fn(t);
    n += texts.length;
  }
  return Math.round(n / ((performance.now() - started) / 1000));
}

/**
 * Triage throughput on the real tweets of the twcs sample (benchmark, not a test: it reports
 * numbers as ratios against bare tokenisation in the same process). Target: ≥ 10,000 posts/s
 * for all signals on one core.
 */
export function benchTriage(): TriageBenchResult {
  const rows = parse(readFileSync(sharedDataPath('twcs-sample.csv')), {
    columns: true,
    relax_quotes: true,
  }) as { text: string; inbound: string; response_tweet_id: string }[];
  const texts = rows.map((r) => r.text);
  const airline = parse(readFileSync(sharedDataPath('airline-sentiment-dev.csv')), { columns: true }) as {
    text: string;
    airline_sentiment: string;
  }[];
  const models: TriageModels = {
    sentiment: {
      name: 'bench-sentiment',
      classifier: trainClassifier(
        airline.map((r) => r.text),
        airline.map((r) => r.airline_sentiment),
      ),
    },
    actionable: {
      name: 'bench-actionable',
      classifier: trainClassifier(
        rows.map((r) => r.text),
        rows.map((r) => String(r.inbound === 'True' && r.response_tweet_id !== '')),
      ),
    },
  };
  const tokenizePerSecond = rate(texts, (t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const enrichPerSecond = rate(texts, (t) => enrichPost(t, { toBrand: true }));
  const enrichWithModelsPerSecond = rate(texts, (t) => enrichPost(t, { toBrand: true, models }));
  return {
    posts: texts.length,
    enrichPerSecond,
    enrichWithModelsPerSecond,
    tokenizePerSecond,
    ratio: Math.round((enrichWithModelsPerSecond / tokenizePerSecond) * 1000) / 1000,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = benchTriage();
  process.stdout.write(
    `enrich ${result.enrichPerSecond} posts/s (built-in), ${result.enrichWithModelsPerSecond} posts/s (trained models); ` +
      `tokenize ${result.tokenizePerSecond} posts/s\n${JSON.stringify(result)}\n`,
  );
}
