/**
 * Personal data in post text, with character spans, so that the console can highlight it and a
 * public reply never echoes it. Precision matters more than recall for phone-like and
 * account-like digits (order numbers and flight numbers are everywhere in care text), so those
 * need a format or a nearby keyword; e-mail addresses and Luhn-valid card numbers stand alone.
 */

export type PiiKind = 'email' | 'phone' | 'card' | 'account' | 'address';

/** Same shape as the `posts.pii` column: what was found and where (no copy of the value). */
export type PiiSpan = { kind: PiiKind; start: number; end: number };

export type PiiOptions = {
  /**
   * Patterns for account numbers; the first capture group (or the whole match) is the span.
   * Default: a keyword ("account", "acct", "customer/member/policy number") followed by 6–20
   * letters and digits containing at least 4 digits.
   */
  accountPatterns?: RegExp[];
};

const EMAIL = /(?<![\w.+-])[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b/gi;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
/** 13–19 digits, optionally grouped by spaces or dashes. */
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
/** North American numbers: (555) 123-4567, 555-123-4567, 555.123.4567, +1 555 123 4567. */
const PHONE_US = /(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\d)/g;
/** International numbers with a leading +: +44 20 7946 0958, +49-30-1234567, +91 98765 43210. */
const PHONE_INTL = /(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}(?!\d)/g;
/** Bare 10–13 digit runs count as phones only after a phone keyword. */
const PHONE_KEYWORD =
  /\b(?:call|phone|tel|telephone|mobile|cell|number|no\.?|contact|reach me|whatsapp|text me)\b[^\d\n.]{0,12}(\+?\d{10,13})(?!\d)/gi;
const DEFAULT_ACCOUNT = [
  /\b(?:account|acct|a\/c|customer|member(?:ship)?|policy|subscriber|loyalty|frequent flyer|rewards?)\s*(?:number|no\.?|num|#|id)?\s*(?:is|:|#|=)?\s*([a-z0-9][a-z0-9-]{5,19})\b/gi,
];
const STREET_SUFFIXES = [
  'Street',
  'St',
  'Avenue',
  'Ave',
  'Road',
  'Rd',
  'Boulevard',
  'Blvd',
  'Lane',
  'Ln',
  'Drive',
  'Dr',
  'Court',
  'Ct',
  'Place',
  'Pl',
  'Way',
  'Terrace',
  'Parkway',
  'Pkwy',
  'Highway',
  'Hwy',
  'Circle',
  'Cir',
  'Square',
  'Crescent',
  'Close',
  'Gardens',
];
const SUFFIX = STREET_SUFFIXES.flatMap((w) => [w, w.toUpperCase()]).join('|');
/**
 * "1600 Pennsylvania Ave NW, Washington, DC 20500", "221B Baker Street", "6720 W Roosevelt Rd, Oak
 * Park, IL 60304". Street names must be capitalised: "waited 3 hours on the way" is not an address.
 */
const STREET_ADDRESS = new RegExp(
  String.raw`\b\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z][A-Za-z'.-]*|\d+(?:st|nd|rd|th))\s+){1,4}(?:${SUFFIX})\b\.?(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?(?:,?\s*(?:[Aa]pt|[Uu]nit|[Ss]uite|[Ss]te|#)\.?\s*[A-Za-z0-9-]+)?(?:,\s*[A-Z][A-Za-z'.-]*(?:\s[A-Z][A-Za-z'.-]*){0,3})?(?:,?\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?)?(?![\w-])`,
  'g',
);
/** A US state and ZIP ("IL 60304"), or a UK postcode ("SW1A 1AA"), alone. */
const ZIP_STATE =
  /\b(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)\s+\d{5}(?:-\d{4})?\b/g;
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b/g;

/** Long digit runs after these words are parcel or booking references, not cards. */
const NOT_CARD =
  /(?:tracking|track|order|ref|reference|confirmation|booking|case|ticket|imei|serial)\W*(?:number|no\.?|#|id)?\W*$/i;

function before(text: string, m: RegExpMatchArray): string {
  const at = m.index ?? 0;
  return text.slice(Math.max(0, at - 30), at);
}

/** Luhn checksum over the digits of `s` (separators ignored). */
export function luhnValid(s: string): boolean {
  const digits = s.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

type Range = { start: number; end: number };

/** Card-like grouping (none, 4-4-4-…, or Amex 4-6-5), an issuer prefix 2–6, and a valid Luhn sum. */
function looksLikeCard(s: string): boolean {
  const groups = s.split(/[ -]/).map((g) => g.length);
  const grouped =
    groups.length === 1 ||
    groups.slice(0, -1).every((n) => n === 4) ||
    (groups.length === 3 && groups[0] === 4 && groups[1] === 6 && groups[2] === 5);
  return grouped && /^[2-6]/.test(s) && luhnValid(s);
}

function overlaps(spans: Range[], start: number, end: number): boolean {
  return spans.some((s) => start < s.end && end > s.start);
}

function collect(
  text: string,
  re: RegExp,
  kind: PiiKind,
  spans: PiiSpan[],
  blocked: Range[],
  accept: (m: RegExpMatchArray) => boolean = () => true,
): void {
  for (const m of text.matchAll(re)) {
    let start = m.index ?? 0;
    let value = m[0];
    if (m[1] !== undefined) {
      start += m[0].indexOf(m[1]);
      value = m[1];
    }
    const end = start + value.length;
    if (overlaps(blocked, start, end) || overlaps(spans, start, end) || !accept(m)) continue;
    spans.push({ kind, start, end });
  }
}

/**
 * Finds personal data in a text: e-mail addresses, phone numbers (North American formats, `+`
 * international numbers, bare digits after a phone keyword), Luhn-valid card numbers, account
 * numbers (configurable patterns) and postal addresses (street addresses, US state + ZIP, UK
 * postcodes). Links are never reported (tracking ids look like phone numbers). Spans are sorted and
 * do not overlap.
 */
export function findPii(text: string, options: PiiOptions = {}): PiiSpan[] {
  const spans: PiiSpan[] = [];
  // Links first: digits inside them are ids, not phones. E-mails are found before that.
  collect(text, EMAIL, 'email', spans, []);
  const links: Range[] = [];
  for (const m of text.matchAll(URL)) {
    const start = m.index ?? 0;
    if (!overlaps(spans, start, start + m[0].length)) links.push({ start, end: start + m[0].length });
  }
  collect(text, CARD, 'card', spans, links, (m) => looksLikeCard(m[0]) && !NOT_CARD.test(before(text, m)));
  collect(text, PHONE_INTL, 'phone', spans, links, (m) => {
    const n = m[0].replace(/\D/g, '').length;
    return n >= 8 && n <= 15;
  });
  collect(text, PHONE_US, 'phone', spans, links);
  collect(text, PHONE_KEYWORD, 'phone', spans, links);
  for (const re of options.accountPatterns ?? DEFAULT_ACCOUNT) {
    const global = re.global ? re : new RegExp(re.source, `${re.flags}g`);
    collect(text, global, 'account', spans, links, (m) => ((m[1] ?? m[0]).match(/\d/g)?.length ?? 0) >= 4);
  }
  collect(text, STREET_ADDRESS, 'address', spans, links);
  collect(text, ZIP_STATE, 'address', spans, links);
  collect(text, UK_POSTCODE, 'address', spans, links);
  return spans.sort((a, b) => a.start - b.start);
}

const PLACEHOLDER: Record<PiiKind, string> = {
  email: '[email]',
  phone: '[phone]',
  card: '[card]',
  account: '[account]',
  address: '[address]',
};

/** Replaces every PII span with a placeholder such as `[email]`. */
export function redactPii(text: string, spans: PiiSpan[] = findPii(text)): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out += text.slice(at, s.start) + PLACEHOLDER[s.kind];
    at = s.end;
  }
  return out + text.slice(at);
}

/**
 * The PII of `source` (e.g. the customer's post) that `reply` would repeat in public. Used by the
 * responses module to stop an agent echoing an e-mail address or phone number into a public reply.
 */
export function findEchoedPii(reply: string, source: string, options: PiiOptions = {}): PiiSpan[] {
  const normalise = (v: string) => v.toLowerCase().replace(/[\s().-]/g, '');
  const known = new Set(findPii(source, options).map((s) => normalise(source.slice(s.start, s.end))));
  return findPii(reply, options).filter((s) => known.has(normalise(reply.slice(s.start, s.end))));
}
