/**
 * Does a post ask the brand to stop contacting the person? A message that is only "stop" (or
 * "unsubscribe"), or a clear phrase anywhere ("leave me alone", "stop contacting me", "do not
 * contact me", "stop messaging/tweeting/DMing/emailing me", "opt me out"). "My internet keeps
 * stopping" is not an opt-out.
 */
const ONLY = /^\W*(stop|stop it|unsubscribe|opt out|opt-out)\W*$/i;
const PHRASES = [
  /\bleave me alone\b/i,
  /\bstop (contacting|messaging|tweeting( at)?|dm'?ing|emailing|e-mailing|texting|calling|spamming|replying to|writing to) me\b/i,
  /\b(do not|don'?t|dont) (contact|message|dm|email|e-mail|text|call|reply to|tweet( at)?) me\b/i,
  /\b(opt|take) me out\b/i,
  /\bunsubscribe me\b/i,
  /\bno more (messages|dms|emails|contact)\b/i,
];

export function isOptOut(text: string): boolean {
  const t = text.replace(/@[\w.-]+/g, ' ').trim();
  if (ONLY.test(t)) return true;
  return PHRASES.some((p) => p.test(t));
}
