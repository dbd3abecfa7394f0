/**
 * A small hand-written English sentiment lexicon for customer-care text (valence −3…+3), written
 * for Earshot: general opinion words plus the vocabulary of service complaints ("delayed",
 * "stranded", "on hold") and of thanks. Tokens are matched after `normaliseText` (lower case,
 * apostrophes kept, elongations squeezed to two letters).
 */

const STRONG_POSITIVE = `amazing awesome excellent fantastic outstanding superb wonderful brilliant perfect
  incredible phenomenal exceptional love loved loving lovely best greatest thrilled delighted ecstatic
  stellar impeccable flawless marvelous marvellous spectacular terrific fabulous superstar heroes hero
  rockstar rockstars kudos bravo woohoo yay`;
const POSITIVE = `good great nice happy glad pleased thank thanks thankyou thx ty appreciate appreciated
  appreciation grateful helpful friendly pleasant enjoy enjoyed enjoying beautiful cool fun fast
  quick quickly smooth comfortable comfy easy efficient professional courteous kind sweet impressed
  impressive recommend recommended well fine favorite favourite win winning won congrats
  congratulations welcome glad fixed resolved solved reliable luxury upgrade upgraded extra
  exciting excited cheers shoutout shout props respect responsive attentive accommodating
  gracious classy seamless stellar gem praise proud safe safely ontime punctual generous
  refreshing relaxing relaxed wow worth worthwhile deserve :) _smile_`;
const MILD_POSITIVE = `ok okay better improve improved helpful hope hopefully like liked likes sure
  yes free please support supportive fair decent solid interesting`;

const STRONG_NEGATIVE = `worst terrible horrible awful horrendous atrocious pathetic disgusting disgraceful
  ridiculous unacceptable outrageous appalling abysmal furious livid hate hated hates nightmare
  disaster disastrous incompetent incompetence useless inexcusable shameful shame scam scammed
  fraud liar liars lying rude rudest joke unbelievable unprofessional miserable infuriating
  sucks sucked suck crap shit shitty fuck fucking fucked wtf smh hell damn damned bullshit`;
const NEGATIVE = `bad poor sad angry upset annoyed annoying frustrated frustrating frustration
  disappointed disappointing disappointment delay delayed delays late cancel cancelled canceled
  cancellation cancellations stuck stranded lost missing broken broke damaged fail failed failure
  fails problem problems issue issues error wrong overcharged overbooked hold waiting wait waited
  hours complaint complain complained confusing confused never nobody no unhelpful slow dirty
  uncomfortable cramped mess messed ruined ruin worse sick tired exhausted stressful stress
  inconvenience inconvenient refund refunds misconnect misconnected diverted missed mishandled
  outage down dropped charged fee fees ugh argh ugh boo sorry apology apologize ignore ignored
  ignoring unanswered disconnected hung excuse excuses lie lies dumb stupid idiot idiots
  careless poorly lousy sucky fiasco chaos mad sigh horrid crappy crying cry cried trapped
  _frown_ :(`;
const MILD_NEGATIVE = `long again still yet only even why seriously really ?? !! unfortunately though
  however cost costs expensive paid pay charge charges`;

function toMap(entries: Array<[string, number]>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [words, valence] of entries) {
    for (const w of words.split(/\s+/)) if (w) map.set(w, valence);
  }
  return map;
}

/** Word → valence. */
export const SENTIMENT_LEXICON: ReadonlyMap<string, number> = toMap([
  [MILD_NEGATIVE, -0.5],
  [MILD_POSITIVE, 1],
  [POSITIVE, 2],
  [STRONG_POSITIVE, 3],
  [NEGATIVE, -2],
  [STRONG_NEGATIVE, -3],
]);

/** Words that scale the valence of the next opinion word. */
export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.3],
  ['so', 1.3],
  ['soo', 1.5],
  ['really', 1.3],
  ['extremely', 1.5],
  ['super', 1.4],
  ['totally', 1.3],
  ['absolutely', 1.5],
  ['completely', 1.4],
  ['incredibly', 1.5],
  ['truly', 1.3],
  ['most', 1.3],
  ['such', 1.2],
  ['too', 1.2],
  ['kinda', 0.7],
  ['somewhat', 0.7],
  ['slightly', 0.6],
  ['little', 0.8],
]);
