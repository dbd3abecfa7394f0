// Public face of the intelligence module. `createEnricher` is called by src/server/runtime.ts and
// must return the Enricher used by the pipeline's enrich stage and the PII guard of replies (see
// Enricher/Signals in src/server/context.ts). INTERIM (lead): returns unknown signals until the
// models land here.
import type { Enricher } from '../../context.ts';
import type { Db } from '../../platform/db/client.ts';

export async function createEnricher(_db: Db): Promise<Enricher> {
  return {
    enrich: () => ({
      lang: null,
      sentiment: null,
      sentimentScore: null,
      intent: null,
      actionable: null,
      serviceRecovery: false,
      pii: [],
      signals: {},
    }),
    reload: async () => {},
  };
}
