// Public face of the intelligence module: triage signals (language, sentiment, intent,
// actionable, PII, service recovery), trainable classifiers and their storage.
import type { Enricher, Signals } from '../../context.ts';
import type { Db } from '../../platform/db/client.ts';
import { type EnrichContext, enrichPost, type TriageModels } from './enrich-post.ts';
import { loadActiveModels } from './store-models.ts';

export type { IntentRule } from './classify-intent.ts';
export { DEFAULT_INTENT_RULES } from './classify-intent.ts';
export { type Io, runClassify, runEval, runTrain, triageCommands } from './cli-commands.ts';
export { detectLanguage } from './detect-language.ts';
export { findEchoedPii, findPii, type PiiKind, type PiiSpan, redactPii } from './detect-pii.ts';
export type { EnrichContext, Enrichment, TriageModels } from './enrich-post.ts';
export { enrichPost } from './enrich-post.ts';
export { intelligenceRoutes } from './intelligence.routes.ts';
export { learnFromCase, learnFromDismissal, startTriageLearning } from './learn-from-decisions.ts';
export { correctPostLabels, recordTrainingExample } from './record-training-example.ts';
export { retrainModel } from './retrain-model.ts';
export { activateModel, listModels, loadActiveModels } from './store-models.ts';

/** Channels whose posts are private messages to the brand (always addressed to it). */
const PRIVATE_CHANNELS = new Set(['email']);

/**
 * The enricher used by the pipeline's enrich stage and by the reply PII guard: the built-in rules
 * plus whatever trained models are active in the database. `reload()` re-reads them after an
 * admin activates another model.
 */
export async function createEnricher(db: Db, options: Omit<EnrichContext, 'models'> = {}): Promise<Enricher> {
  let models: TriageModels = await loadActiveModels(db);
  return {
    enrich(text, ctx): Signals {
      // direction and isRepost are read when the caller passes them (outbound posts are never
      // actionable nor service recovery)
      const extra = ctx as typeof ctx & { direction?: 'inbound' | 'outbound'; isRepost?: boolean };
      const e = enrichPost(text, {
        ...options,
        toBrand: ctx.toBrand || PRIVATE_CHANNELS.has(ctx.channel),
        lang: ctx.lang,
        direction: extra.direction,
        isRepost: extra.isRepost,
        models,
      });
      return { ...e, pii: e.pii };
    },
    async reload() {
      models = await loadActiveModels(db);
    },
  };
}
