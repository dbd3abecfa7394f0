/**
 * Text normalisation shared by the built-in rules and the trainable classifier. Social posts are
 * noisy: handles, links, entities, elongated words ("sooooo"), emoticons and negation all carry
 * (or hide) the signal, so they are mapped to stable tokens before anything counts words.
 */

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
};

/** Decodes the few HTML entities that social APIs leave in post text. */
export function decodeEntities(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|apos|#39);/g, (m) => ENTITIES[m] ?? m);
}

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const HANDLE_RE = /(^|[^\w@])@\w{1,30}/g;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;

/**
 * Lower-cases and replaces volatile parts with placeholders: links → ` _url_ `, handles →
 * ` _user_ `, e-mail addresses → ` _email_ `, digits runs → `0`. Letters repeated three times or
 * more are squeezed to two ("soooo" → "soo"), which keeps the emphasis but merges the spellings.
 */
export function normaliseText(raw: string): string {
  return decodeEntities(raw)
    .replace(URL_RE, ' _url_ ')
    .replace(EMAIL_RE, ' _email_ ')
    .replace(HANDLE_RE, '$1 _user_ ')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .toLowerCase()
    .replace(/(\p{L})\1{2,}/gu, '$1$1')
    .replace(/\d+(?:[.,:]\d+)*/g, '0');
}

/** Emoticon → sentiment placeholder. Checked on the decoded text before tokenisation. */
const EMOTICONS: Array<[RegExp, string]> = [
  [/(?:^|\s)(?:[:;=8][-o^']?[)\]dp}]+|\^_?\^|<3+|\(:)(?=\s|$)/gi, ' _smile_ '],
  [/(?:^|\s)(?:[:;=][-o^']?[([{|\\/]+|:'\(|>:\(|d:|\):)(?=\s|$)/gi, ' _frown_ '],
];

const POSITIVE_EMOJI =
  /[\u{1F600}-\u{1F60D}\u{1F60E}\u{1F617}-\u{1F61D}\u{1F642}\u{1F643}\u{1F917}\u{1F929}\u{1F970}\u{2764}\u{1F495}-\u{1F49F}\u{1F44D}\u{1F44F}\u{1F64C}\u{1F389}\u{1F38A}\u{2728}\u{1F31F}\u{1F60A}\u{263A}]/gu;
const NEGATIVE_EMOJI =
  /[\u{1F620}-\u{1F62D}\u{1F612}\u{1F614}\u{1F615}\u{1F616}\u{1F61E}\u{1F61F}\u{1F630}-\u{1F633}\u{1F635}\u{1F641}\u{2639}\u{1F44E}\u{1F4A9}\u{1F92C}\u{1F926}\u{1F937}\u{1F644}\u{1F611}\u{1F610}]/gu;

/** Replaces emoticons and the most common sentiment-bearing emoji with placeholder words. */
export function markEmoticons(text: string): string {
  let out = text;
  for (const [re, token] of EMOTICONS) out = out.replace(re, token);
  return out.replace(POSITIVE_EMOJI, ' _smile_ ').replace(NEGATIVE_EMOJI, ' _frown_ ');
}

const TOKEN_RE = /_[a-z]+_|[\p{L}\p{M}][\p{L}\p{M}\d']*|0|[!?]+|#[\p{L}\d_]+|[.,;:]/gu;
const NEGATORS = new Set([
  'not',
  'no',
  'never',
  'none',
  'nothing',
  'nobody',
  'nowhere',
  'neither',
  'nor',
  'cannot',
  'cant',
  'dont',
  'wont',
  'didnt',
  'isnt',
  'arent',
  'wasnt',
  'werent',
  'doesnt',
  'couldnt',
  'shouldnt',
  'wouldnt',
  'hasnt',
  'havent',
  'hadnt',
  'aint',
  'without',
]);

/** True for "not", "never", "don't", "can't" … (negation scopes run to the next punctuation). */
export function isNegator(token: string): boolean {
  return NEGATORS.has(token) || token.endsWith("n't");
}

export type Tokens = {
  /** Word tokens in order; hashtags keep their `#`, punctuation runs are tokens too. */
  words: string[];
  /** Parallel flags: true when the word sits in a negation scope. */
  negated: boolean[];
};

/**
 * Splits normalised text into word tokens and marks negation scopes (from a negator to the next
 * punctuation mark, at most five words), the classic trick that lets a linear model learn that
 * "not good" is not "good".
 */
export function tokenise(normalised: string): Tokens {
  const words: string[] = [];
  const negated: boolean[] = [];
  let scope = 0;
  for (const m of normalised.matchAll(TOKEN_RE)) {
    const w = m[0];
    const first = w.charCodeAt(0);
    const isPunct =
      first === 33 || first === 63 || first === 46 || first === 44 || first === 59 || first === 58;
    if (isPunct) scope = 0;
    words.push(w);
    negated.push(scope > 0 && !isPunct);
    if (scope > 0) scope--;
    if (isNegator(w)) scope = 5;
  }
  return { words, negated };
}

/** The @handles in a text, lower-cased without the `@`. */
export function extractHandles(raw: string): string[] {
  const out: string[] = [];
  for (const m of raw.matchAll(HANDLE_RE)) out.push(m[0].slice(m[0].indexOf('@') + 1).toLowerCase());
  return out;
}

export type PreparedText = { normalised: string; tokens: Tokens };

/** Full preparation used by every model: entities, placeholders, emoticons, tokens. */
export function prepareText(raw: string): PreparedText {
  const normalised = normaliseText(markEmoticons(decodeEntities(raw)));
  return { normalised, tokens: tokenise(normalised) };
}
