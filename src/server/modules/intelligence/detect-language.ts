import { franc } from 'franc';

/**
 * Language of a post as an ISO 639-1 code ("en"), or "und" when the text is too short or unclear.
 *
 * franc alone is both slow on short posts (~0.5 ms each over its 187 languages) and wrong on a
 * quarter of English tweets (it answers Scots, Danish, Norwegian…). So: the writing system
 * decides for non-Latin scripts, a stop-word vote decides clear Latin-script cases in
 * microseconds, and franc, restricted to a few candidate languages, settles the rest.
 */
export function detectLanguage(text: string): string {
  const clean = text
    .replace(/\b(?:https?:\/\/|www\.)\S+/gi, ' ')
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, ' ')
    .replace(/[@#][\p{L}\p{N}_]+/gu, ' ')
    .replace(/&(?:amp|lt|gt|quot);/g, ' ');
  const letters = clean.match(/\p{L}/gu);
  if (!letters || letters.length < 3) return 'und';

  const script = dominantScript(clean);
  if (script !== 'Latin') return detectNonLatin(script, clean, letters.length);

  const vote = voteStopwords(clean);
  if (vote.best && vote.bestScore >= 2 && vote.bestScore >= 2 * vote.secondScore) return vote.best;
  if (letters.length >= 40) {
    const iso3 = franc(clean, { only: LATIN_CANDIDATES, minLength: 10 });
    const iso1 = ISO_639_1[iso3];
    if (iso1) return iso1;
  }
  if (vote.best && vote.bestScore > vote.secondScore) return vote.best;
  return 'und';
}

const SCRIPTS: Array<[string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/gu],
  ['Cyrillic', /\p{Script=Cyrillic}/gu],
  ['Arabic', /\p{Script=Arabic}/gu],
  ['Han', /\p{Script=Han}/gu],
  ['Kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/gu],
  ['Hangul', /\p{Script=Hangul}/gu],
  ['Greek', /\p{Script=Greek}/gu],
  ['Hebrew', /\p{Script=Hebrew}/gu],
  ['Thai', /\p{Script=Thai}/gu],
  ['Devanagari', /\p{Script=Devanagari}/gu],
];

function dominantScript(text: string): string {
  // Fast path: pure ASCII letters are Latin.
  if (/^[\x00-\x7f]*$/.test(text)) return 'Latin';
  let best = 'Latin';
  let bestCount = 0;
  let kana = 0;
  for (const [name, re] of SCRIPTS) {
    const count = text.match(re)?.length ?? 0;
    if (name === 'Kana') kana = count;
    if (count > bestCount) {
      best = name;
      bestCount = count;
    }
  }
  // Japanese mixes kanji (Han) with kana; any real amount of kana means Japanese.
  if ((best === 'Han' || best === 'Kana') && kana >= 2) return 'Kana';
  return best;
}

const FIXED_BY_SCRIPT: Record<string, string> = {
  Kana: 'ja',
  Hangul: 'ko',
  Han: 'zh',
  Greek: 'el',
  Hebrew: 'he',
  Thai: 'th',
};

function detectNonLatin(script: string, text: string, letters: number): string {
  const fixed = FIXED_BY_SCRIPT[script];
  if (fixed) return fixed;
  const candidates: Record<string, string[]> = {
    Cyrillic: ['rus', 'ukr', 'bul', 'srp', 'bel', 'mkd', 'kaz'],
    Arabic: ['arb', 'pes', 'urd'],
    Devanagari: ['hin', 'mar', 'npi'],
  };
  if (script === 'Cyrillic') {
    const vote = voteStopwords(text);
    if (vote.best && vote.bestScore > vote.secondScore) return vote.best;
  }
  const only = candidates[script];
  const fallback: Record<string, string> = { Cyrillic: 'ru', Arabic: 'ar', Devanagari: 'hi' };
  if (!only || letters < 10) return fallback[script] ?? 'und';
  return ISO_639_1[franc(text, { only, minLength: 3 })] ?? fallback[script] ?? 'und';
}

/** ISO 639-3 (franc) → ISO 639-1 for the languages Earshot asks franc about. */
const ISO_639_1: Record<string, string> = {
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  deu: 'de',
  por: 'pt',
  ita: 'it',
  nld: 'nl',
  swe: 'sv',
  dan: 'da',
  nob: 'nb',
  nno: 'nn',
  pol: 'pl',
  tur: 'tr',
  ind: 'id',
  ron: 'ro',
  ces: 'cs',
  fin: 'fi',
  hun: 'hu',
  cat: 'ca',
  tgl: 'tl',
  vie: 'vi',
  rus: 'ru',
  ukr: 'uk',
  bul: 'bg',
  srp: 'sr',
  bel: 'be',
  mkd: 'mk',
  kaz: 'kk',
  arb: 'ar',
  pes: 'fa',
  urd: 'ur',
  hin: 'hi',
  mar: 'mr',
  npi: 'ne',
};

const LATIN_CANDIDATES = [
  'eng',
  'spa',
  'fra',
  'deu',
  'por',
  'ita',
  'nld',
  'swe',
  'dan',
  'nob',
  'pol',
  'tur',
  'ind',
  'ron',
  'ces',
  'fin',
  'hun',
  'cat',
  'tgl',
  'vie',
];

/** Frequent function words per language (ISO 639-1). Shared words count for every language. */
const STOPWORDS: Record<string, string> = {
  en: "the and you your you're is are am was were be been to of it it's in on at for from with by about that this these those my me we our us they them their he she his her i i'm i've i'll have has had do does did don't can can't could would will won't should not no yes what why how when where who which there here just still again get got going want need help please thanks thank thx now today tomorrow yesterday time day hours hour been because if or but so very really too any some all one two back over out up down off only never ever after before since until while than then also even much many more most well good great bad any my flight service customer trying waiting still sent call number phone account order way know think make see let",
  es: 'el la los las de que y en un una es por para con mi lo se al del pero muy gracias como más este esta hay ya estoy tengo ha han me pueden puedo hola favor todavía nada pedido también sus su porque cuando ayuda',
  fr: 'le la les de des et est un une pour pas que qui dans sur avec mon ma je vous il elle ce cette au aux merci mais très sont suis',
  de: 'der die das und ist nicht ich ein eine mit zu den dem von auf für es sie wir bei auch noch mein meine danke aber sich wie',
  pt: 'o a os as de que e do da em um uma para com não no na por mais meu minha obrigado obrigada mas está isso você',
  it: 'il la di che e è un una per non con mi sono ho del della gli le ma grazie questo questa anche come più',
  nl: 'de het een en van is niet ik je dat op te met voor zijn maar ook bij dank nog wel geen mijn',
  sv: 'och att det som en är på för med jag inte till av har men om tack min mitt den',
  da: 'og at det som en er på for med jeg ikke til af har men om tak min mit den',
  pl: 'i w nie na się z że to jest do jak ale co mnie mam dziękuję już tak',
  tr: 've bir bu da de için ile ama çok ne var yok mi teşekkürler ben sen',
  id: 'dan yang di ini itu tidak saya untuk dengan ada ke dari bisa sudah terima kasih',
  ru: 'и в не на я что с как это у меня но по мне вы так уже только все еще нет был была было можно спасибо почему когда',
  uk: 'і в не на я що з як це у мене але по мені ви так вже тільки все ще немає був була було можна дякую чому коли',
};

const STOPWORD_INDEX = (() => {
  const index = new Map<string, string[]>();
  for (const [lang, words] of Object.entries(STOPWORDS)) {
    for (const w of words.split(' ')) {
      const list = index.get(w);
      if (list) list.push(lang);
      else index.set(w, [lang]);
    }
  }
  return index;
})();

function voteStopwords(text: string): { best: string | null; bestScore: number; secondScore: number } {
  const scores = new Map<string, number>();
  for (const m of text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .matchAll(/\p{L}+(?:'\p{L}+)?/gu)) {
    const langs = STOPWORD_INDEX.get(m[0]);
    if (!langs) continue;
    const share = 1 / langs.length;
    for (const l of langs) scores.set(l, (scores.get(l) ?? 0) + share);
  }
  let best: string | null = null;
  let bestScore = 0;
  let secondScore = 0;
  for (const [l, s] of scores) {
    if (s > bestScore) {
      secondScore = bestScore;
      best = l;
      bestScore = s;
    } else if (s > secondScore) secondScore = s;
  }
  return { best, bestScore, secondScore };
}
