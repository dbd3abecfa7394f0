import type { SentimentLabel } from './score-sentiment.ts';

/** Intents that describe a problem the brand has to act on. */
export const PROBLEM_INTENTS = new Set(['outage', 'billing', 'technical', 'appointment', 'cancellation']);

export type ActionableContext = {
  direction?: 'inbound' | 'outbound';
  /** True when the post addresses the brand directly (mention, DM, e-mail to the brand). */
  toBrand?: boolean;
  isRepost?: boolean;
};

export type Actionable = { actionable: boolean; reason: string };

/**
 * Does this post need a response from the brand? Outbound posts, reposts and spam never do; a
 * problem, a question or a complaint addressed to the brand does; praise and small talk do not
 * (they can be acknowledged, but they do not open a case). A post that only talks *about* the
 * brand needs a problem or a complaint to count: that is the proactive-outreach case.
 */
export function detectActionable(
  intent: string,
  sentiment: SentimentLabel,
  ctx: ActionableContext = {},
): Actionable {
  if (ctx.direction === 'outbound') return { actionable: false, reason: 'outbound' };
  if (ctx.isRepost) return { actionable: false, reason: 'repost' };
  if (intent === 'spam') return { actionable: false, reason: 'spam' };
  const problem = PROBLEM_INTENTS.has(intent);
  if (ctx.toBrand === false) {
    return problem && sentiment === 'negative'
      ? { actionable: true, reason: 'problem mentioned without addressing the brand' }
      : { actionable: false, reason: 'not addressed to the brand' };
  }
  if (problem) return { actionable: true, reason: `intent ${intent}` };
  if (intent === 'question') return { actionable: true, reason: 'question' };
  if (sentiment === 'negative') return { actionable: true, reason: 'negative sentiment' };
  if (intent === 'praise' || sentiment === 'positive') return { actionable: false, reason: 'praise' };
  // Addressed to the brand, neither praise nor spam: someone is waiting for an answer.
  return ctx.toBrand
    ? { actionable: true, reason: 'addressed to the brand' }
    : { actionable: false, reason: 'no request or problem' };
}
