import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures } from './extract-features.ts';
import { deserialiseClassifier, serialiseClassifier } from './serialise-classifier.ts';
import { predictText, trainClassifier } from './train-classifier.ts';

// A small synthetic task: complaints, questions and thanks about a fictional ISP.
const complaints = [
  'my internet is down again',
  'worst service ever, no signal all day',
  'still no connection, this is ridiculous',
  'the router keeps dropping, so annoying',
  'charged twice and nobody helps',
];
const questions = [
  'what time does the store open',
  'how do I change my plan',
  'is there an outage in 19103',
  'can I move my appointment to friday',
  'where can I find my bill',
];
const thanks = [
  'thank you, all fixed now',
  'great support today, thanks',
  'love the new app, well done',
  'the technician was lovely, thank you',
  'fast and friendly help, cheers',
];
const texts = [...complaints, ...questions, ...thanks].flatMap((t) => [t, `${t}!`, `@isp ${t}`]);
const labels = [
  ...complaints.map(() => 'negative'),
  ...questions.map(() => 'neutral'),
  ...thanks.map(() => 'positive'),
].flatMap((l) => [l, l, l]);

describe('extractFeatures', () => {
  it('gives hashed indices in range with a bias feature, the same for the same text', () => {
    const a = extractFeatures('Not good at all @united :( http://t.co/x', DEFAULT_FEATURE_OPTIONS);
    const b = extractFeatures('Not good at all @united :( http://t.co/x', DEFAULT_FEATURE_OPTIONS);
    expect(a).toEqual(b);
    expect(a.indices.length).toBeGreaterThan(50);
    expect([...a.indices]).toContain(0);
    expect(Math.max(...a.indices)).toBeLessThan(1 << DEFAULT_FEATURE_OPTIONS.hashBits);
  });

  it('marks negation: "good" and "not good" differ beyond the word "not"', () => {
    const opts = {
      ...DEFAULT_FEATURE_OPTIONS,
      charNgrams: [0, 0] as [number, number],
      lexicon: false,
      positional: false,
    };
    const good = new Set(extractFeatures('good', opts).indices);
    const notGood = new Set(extractFeatures('not good', opts).indices);
    const shared = [...good].filter((i) => i !== 0 && notGood.has(i));
    expect(shared).toEqual([]);
  });
});

describe('trainClassifier', () => {
  it.each(['ensemble', 'nbsvm', 'logreg'] as const)(
    '%s learns a small task and generalises to new wording',
    (algorithm) => {
      const model = trainClassifier(texts, labels, { algorithm, epochs: 10 });
      expect(model.labels).toEqual(['negative', 'neutral', 'positive']);
      expect(predictText(model, 'no signal again, ridiculous').label).toBe('negative');
      expect(predictText(model, 'thank you, great help').label).toBe('positive');
      expect(predictText(model, 'how do I find the store').label).toBe('neutral');
    },
  );

  it('is deterministic for a seed', () => {
    const a = trainClassifier(texts, labels, { seed: 7 });
    const b = trainClassifier(texts, labels, { seed: 7 });
    expect(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer))).toBe(true);
  });

  it('serialises to a compact buffer and back without changing a prediction', () => {
    const model = trainClassifier(texts, labels);
    const buf = serialiseClassifier(model);
    expect(buf.length).toBeLessThan(model.weights.byteLength / 10);
    const back = deserialiseClassifier(buf);
    expect(back.labels).toEqual(model.labels);
    expect(back.features).toEqual(model.features);
    expect(Buffer.from(back.weights.buffer).equals(Buffer.from(model.weights.buffer))).toBe(true);
    expect(predictText(back, 'internet down').probabilities).toEqual(
      predictText(model, 'internet down').probabilities,
    );
    expect(() => deserialiseClassifier(Buffer.from('nope, not a model'))).toThrow(/magic/);
    expect(() => deserialiseClassifier(buf.subarray(0, buf.length - 4))).toThrow(/truncated/);
  });
});
