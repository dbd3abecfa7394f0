import { isNegator, type Tokens } from './normalise-text.ts';
import { INTENSIFIERS, SENTIMENT_LEXICON } from './sentiment-lexicon.ts';

export type SentimentLabel = 'negative' | 'neutral' | 'positive';

export type LexiconSentiment = {
  label: SentimentLabel;
  /** −1 (very negative) … +1 (very positive). */
  score: number;
  /** Sum of positive and of negative valence after negation and intensifiers. */
  positive: number;
  negative: number;
};

/** Thresholds on the compound score; chosen on the airline tweets (see ADR 0003). */
export const LEXICON_THRESHOLDS = { positive: 0.45, negative: -0.05 };

const CONTRAST = new Set(['but', 'however', 'although', 'though', 'yet']);

/**
 * Rule-based sentiment in the spirit of VADER: lexicon valence, intensifiers, negation scopes,
 * "but" clauses (what follows counts more), exclamation marks. Needs no training; on customer-care
 * text it is a floor, not a target: a trained model is far better (ADR 0003).
 */
export function scoreSentiment(tokens: Tokens, thresholds = LEXICON_THRESHOLDS): LexiconSentiment {
  const { words, negated } = tokens;
  let positive = 0;
  let negative = 0;
  let contrastAt = -1;
  let exclaim = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (CONTRAST.has(w)) contrastAt = i;
    if (w.charCodeAt(0) === 33) exclaim += w.length;
  }
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (isNegator(w)) continue;
    let v = SENTIMENT_LEXICON.get(w);
    if (v === undefined) continue;
    const prev = i > 0 ? INTENSIFIERS.get(words[i - 1]!) : undefined;
    if (prev !== undefined) v *= prev;
    if (negated[i]) v *= -0.6;
    if (contrastAt >= 0) v *= i > contrastAt ? 1.5 : 0.5;
    if (v > 0) positive += v;
    else negative -= v;
  }
  let sum = positive - negative;
  if (sum !== 0) sum += Math.sign(sum) * Math.min(exclaim, 4) * 0.3;
  const score = sum / Math.sqrt(sum * sum + 15);
  const label: SentimentLabel =
    score >= thresholds.positive ? 'positive' : score <= thresholds.negative ? 'negative' : 'neutral';
  return { label, score, positive, negative };
}
