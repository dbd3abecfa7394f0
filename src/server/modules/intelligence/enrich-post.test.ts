import { describe, expect, it } from 'vitest';
import { enrichPost } from './enrich-post.ts';
import { trainClassifier } from './train-classifier.ts';

describe('enrichPost', () => {
  it('gives every signal with the built-in models', () => {
    const e = enrichPost(
      '@comcast you charged me twice and my internet is still down. call me at 555-123-4567',
      {
        toBrand: true,
      },
    );
    expect(e).toMatchObject({
      lang: 'en',
      sentiment: 'negative',
      actionable: true,
      serviceRecovery: true,
      pii: [{ kind: 'phone', start: 72, end: 84 }],
    });
    expect(['billing', 'outage']).toContain(e.intent);
    expect(e.sentimentScore).toBeLessThan(0);
    expect(e.signals).toMatchObject({ sentimentSource: 'lexicon', intentSource: 'rules' });
    expect(e.signals.serviceRecoveryReasons).toEqual(expect.arrayContaining(['billing_error', 'outage']));
  });

  it('keeps praise out of the queue and never flags the brand’s own posts for service recovery', () => {
    expect(enrichPost('Thanks @brand, the new app is great!', { toBrand: true })).toMatchObject({
      sentiment: 'positive',
      intent: 'praise',
      actionable: false,
    });
    const outbound = enrichPost('Sorry about the outage, it is fixed now', { direction: 'outbound' });
    expect(outbound.actionable).toBe(false);
    expect(outbound.serviceRecovery).toBe(false);
  });

  it('uses trained models when given, and says so in the signals', () => {
    const texts = ['meh', 'fine I guess', 'whatever', 'ok then', 'sure', 'alright'];
    const sentiment = trainClassifier(texts, [
      'positive',
      'positive',
      'positive',
      'negative',
      'negative',
      'negative',
    ]);
    const intent = trainClassifier(texts, ['roaming', 'roaming', 'roaming', 'tv', 'tv', 'tv']);
    const e = enrichPost('meh, fine', {
      toBrand: true,
      models: {
        sentiment: { name: 's1', classifier: sentiment },
        intent: { name: 'i1', classifier: intent },
      },
    });
    expect(e.sentiment).toBe('positive');
    expect(e.intent).toBe('roaming');
    expect(e.signals).toMatchObject({ sentimentSource: 'model:s1', intentSource: 'model:i1' });
  });

  it('takes the language the channel reported, and classifies a title with the text', () => {
    expect(enrichPost('hola', { lang: 'es' }).lang).toBe('es');
    const e = enrichPost('see subject', { title: 'Billing error: charged twice', toBrand: true });
    expect(e.serviceRecovery).toBe(true);
    expect(e.intent).toBe('billing');
  });
});
