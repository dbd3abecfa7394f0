/**
 * Rule-based intent: what the customer wants. Works with no training; an installation can replace
 * or extend the rules (its own products, its own words), and a trained `intent` model takes over
 * when an admin activates one.
 */

export type IntentRule = {
  intent: string;
  /** Any match adds `weight` once per pattern. Patterns run on the original text, case-insensitively. */
  patterns: RegExp[];
  weight?: number;
};

export type IntentResult = {
  intent: string;
  /** Score per intent that matched at all. */
  scores: Record<string, number>;
};

/** Intent when nothing matches. */
export const OTHER_INTENT = 'other';

const re = (s: string) => new RegExp(s, 'i');

/**
 * Default rules, ordered by priority: on a tie the earlier intent wins, so a specific problem
 * (outage, billing…) beats a generic question or thanks.
 */
export const DEFAULT_INTENT_RULES: IntentRule[] = [
  {
    intent: 'outage',
    patterns: [
      re(String.raw`\b(?:outage|outages|blackout)\b`),
      re(
        String.raw`\b(?:internet|service|network|website|site|app|system|servers?|wifi|wi-fi|signal|cable|tv|phones?|lines?|power|connection|email)\s+(?:is\s+|are\s+|has\s+been\s+|keeps\s+|went\s+|goes\s+)?(?:still\s+)?(?:down|out|offline|dead|dropping|not working)\b`,
      ),
      re(
        String.raw`\b(?:no|lost)\s+(?:internet|service|signal|connection|power|wifi|cable|network|coverage)\b`,
      ),
      re(String.raw`\b(?:down|out)\s+(?:again|for\s+(?:hours|days|the\s+whole))\b`),
      re(
        String.raw`\b(?:can'?t|cannot|unable to)\s+(?:connect|get online|access the (?:site|app|website))\b`,
      ),
      re(String.raw`\bis\s+(?:the\s+|your\s+)?(?:site|website|app|system|service)\s+down\b`),
      re(
        String.raw`\bcancell?ed\s*flight|\bflights?\s+(?:got\s+|was\s+|were\s+|been\s+)?(?:cancell?ed|delayed)|\bdelays?\b|\bdelayed\b`,
      ),
    ],
  },
  {
    intent: 'billing',
    patterns: [
      re(String.raw`\b(?:bill|billing|billed|invoice|statement)\b`),
      re(String.raw`\b(?:over|double|twice|wrongly|incorrectly)?\s*charg(?:e|ed|es|ing)\b`),
      re(String.raw`\b(?:refund|refunded|reimburse(?:ment)?|credit(?:ed)? (?:back|my account)|chargeback)\b`),
      re(String.raw`\b(?:payment|paid|pay|fee|fees|price|pricing|rate|autopay|subscription cost)\b`),
      re(String.raw`[$£€]\s?\d`),
    ],
  },
  {
    intent: 'appointment',
    patterns: [
      re(String.raw`\b(?:appointment|appt|technician|tech|installer|engineer)\b`),
      re(String.raw`\b(?:install|installation|installed|set ?up|hook ?up)\b`),
      re(
        String.raw`\b(?:reschedul\w*|schedul\w*|time window|arrival window|no[- ]show|never (?:showed|came|turned) up|didn'?t show)\b`,
      ),
    ],
  },
  {
    intent: 'cancellation',
    patterns: [
      re(
        String.raw`\bcancel(?:l?ing|l?ed)?\s+(?:my|our|the)\s+(?:account|service|subscription|contract|membership|plan|order|card)\b`,
      ),
      re(
        String.raw`\b(?:switch(?:ing)?|moving|going|leaving)\s+(?:over\s+)?to\s+(?:a\s+)?(?:another|different|competitor|@\w+)`,
      ),
      re(
        String.raw`\bnever\s+(?:fly(?:ing)?|use|using|buy(?:ing)?|order(?:ing)?|shop(?:ping)?)\s+(?:with\s+)?(?:you|again|this)`,
      ),
      re(String.raw`\b(?:close|closing|terminate|end)\s+my\s+(?:account|contract|service)\b`),
      re(
        String.raw`\b(?:done with you|lost (?:a|my) (?:customer|business)|last time i (?:fly|use|buy)|unsubscribe)\b`,
      ),
    ],
  },
  {
    intent: 'technical',
    patterns: [
      re(
        String.raw`\b(?:error|bug|glitch|crash(?:es|ed|ing)?|freez(?:e|es|ing)|broken|not loading|won'?t load|keeps? (?:crashing|restarting|dropping))\b`,
      ),
      re(
        String.raw`\b(?:not|isn'?t|doesn'?t|don'?t|won'?t|can'?t|cannot|stopped)\s+(?:work(?:ing)?|load(?:ing)?|connect(?:ing)?|log(?:ging)? ?in|sign(?:ing)? ?in|charg(?:e|ing)|updat(?:e|ing)|open(?:ing)?)\b`,
      ),
      re(
        String.raw`\b(?:password|log ?in|sign ?in|reset|router|modem|firmware|update|reboot|restart|settings|bluetooth|wifi|app|website|device)\b`,
      ),
    ],
    weight: 0.8,
  },
  {
    intent: 'spam',
    patterns: [
      re(
        String.raw`\b(?:follow (?:me|back)|check out my|giveaway|free followers|promo code|click (?:here|the link)|earn \$|crypto|bitcoin|forex|onlyfans|subscribe to my)\b`,
      ),
      re(String.raw`(?:#\w+[\s,]*){5,}`),
    ],
    weight: 1.2,
  },
  {
    intent: 'question',
    patterns: [
      re(String.raw`\?`),
      re(
        // leading handles, then a question word (written so that many handles cannot backtrack)
        String.raw`^(?:\s*[.@]\w+)*[\s,:.!-]*(?:how|what|when|where|why|which|who|can|could|is|are|do|does|did|will|would|should|any)\b`,
      ),
    ],
    weight: 0.5,
  },
  {
    intent: 'praise',
    patterns: [
      re(String.raw`\b(?:thanks?|thank you|thx|ty|kudos|shout ?out|props)\b`),
      re(
        String.raw`\b(?:love|loved|awesome|amazing|great|excellent|fantastic|best|wonderful|appreciate(?:d)?|outstanding|brilliant)\b`,
      ),
      /(?:<3|❤️|😍|🙏|👏|🙌)/u,
    ],
    weight: 0.6,
  },
];

/** Picks the highest-scoring intent for a text; `other` when no rule matches. */
export function classifyIntent(text: string, rules: IntentRule[] = DEFAULT_INTENT_RULES): IntentResult {
  const scores: Record<string, number> = {};
  let best = OTHER_INTENT;
  let bestScore = 0;
  for (const rule of rules) {
    let score = 0;
    for (const p of rule.patterns) if (p.test(text)) score += rule.weight ?? 1;
    if (score === 0) continue;
    scores[rule.intent] = (scores[rule.intent] ?? 0) + score;
    if (scores[rule.intent]! > bestScore) {
      best = rule.intent;
      bestScore = scores[rule.intent]!;
    }
  }
  return { intent: best, scores };
}
