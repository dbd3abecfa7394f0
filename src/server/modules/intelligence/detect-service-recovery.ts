/**
 * Service recovery: signs that the company caused the customer's problem. The priority policy
 * puts these first whatever the channel or the customer's reach ("when the company made an error,
 * the customer is cared for first"), so the rules look for the company's failure, not for anger.
 */

export type ServiceRecoveryRule = { reason: string; patterns: RegExp[] };

export type ServiceRecovery = { detected: boolean; reasons: string[] };

const re = (s: string) => new RegExp(s, 'i');

export const DEFAULT_SERVICE_RECOVERY_RULES: ServiceRecoveryRule[] = [
  {
    reason: 'billing_error',
    patterns: [
      re(
        String.raw`\b(?:over ?charged|double[- ]charged|double[- ]billed|charged (?:me )?(?:twice|two times|double)|billed (?:me )?twice)\b`,
      ),
      re(
        String.raw`\b(?:billing|bill) (?:error|mistake|issue|problem)|\b(?:wrong|incorrect|inaccurate) (?:bill|invoice|statement)\b`,
      ),
      re(
        String.raw`\bstill (?:being )?(?:charged|billed)\b|\bcharged (?:me )?(?:after|even though) (?:i |we )?cancel`,
      ),
    ],
  },
  {
    reason: 'wrong_charge',
    patterns: [
      re(
        String.raw`\b(?:wrong|incorrect|unauthori[sz]ed|fraudulent|unexpected|hidden|mystery|random) (?:charge|charges|fee|fees)\b`,
      ),
      re(
        String.raw`\bcharged (?:me )?(?:for (?:something|a service|an? \w+) (?:i|we) (?:didn'?t|never|did not))`,
      ),
      re(
        String.raw`\b(?:where(?:'s| is) my refund|refund (?:never|still hasn'?t|hasn'?t) (?:came|come|arrived|shown))`,
      ),
    ],
  },
  {
    reason: 'missed_appointment',
    patterns: [
      re(
        String.raw`\b(?:technician|tech|installer|engineer|driver|courier|delivery)\s+(?:never|didn'?t|did not|failed to)\s+(?:show|showed|come|came|turn|arrive)`,
      ),
      re(String.raw`\bmissed (?:my|our|the) (?:appointment|appt|installation|install|delivery|window)\b`),
      re(
        String.raw`\b(?:no[- ]show|stood (?:me |us )?up|waited (?:all day|home all day|\d+ hours?) for (?:the |a |your )?(?:tech|technician|installer|engineer|delivery))\b`,
      ),
    ],
  },
  {
    reason: 'outage',
    patterns: [
      re(String.raw`\b(?:outage|outages)\b`),
      re(
        String.raw`\b(?:internet|service|network|website|app|system|wifi|signal|cable|tv|phones?|power|connection)\s+(?:is\s+|are\s+|has\s+been\s+|keeps\s+)?(?:still\s+)?(?:down|out|offline|not working)\b`,
      ),
      re(String.raw`\b(?:no|lost)\s+(?:internet|service|signal|connection|power|wifi|cable)\b`),
    ],
  },
  {
    reason: 'service_failure',
    patterns: [
      re(
        String.raw`\bcancell?ed (?:my )?flight|\bflight (?:was |got )?cancell?ed|\bmissed (?:my|our) connection\b`,
      ),
      re(
        String.raw`\b(?:lost|damaged|broke|broken|destroyed|misplaced)\s+(?:my|our)?\s*(?:bag|bags|luggage|suitcase|package|parcel|order)\b`,
      ),
      re(
        String.raw`\b(?:bag|bags|luggage|suitcase|package|parcel|order)\s+(?:was |were |is |got )?(?:lost|damaged|never (?:arrived|came|showed))\b`,
      ),
      re(String.raw`\b(?:wrong (?:item|order|size)|sent (?:me )?the wrong)\b`),
    ],
  },
  {
    reason: 'broken_promise',
    patterns: [
      re(
        String.raw`\b(?:promised|told) (?:me |us )?(?:a |an )?(?:call ?back|callback|refund|credit|fix|technician)\b`,
      ),
      re(
        String.raw`\bnever (?:called|got back|emailed|responded|heard back)\b|\bstill waiting (?:for|on) (?:my|a|the) (?:refund|credit|call|response|callback)\b`,
      ),
    ],
  },
];

/** Lists the company-failure reasons a text shows. */
export function detectServiceRecovery(
  text: string,
  rules: ServiceRecoveryRule[] = DEFAULT_SERVICE_RECOVERY_RULES,
): ServiceRecovery {
  const reasons: string[] = [];
  for (const rule of rules) {
    if (rule.patterns.some((p) => p.test(text))) reasons.push(rule.reason);
  }
  return { detected: reasons.length > 0, reasons };
}
