/**
 * Top-level domains that make a bare `name.tld` in running text a domain (`comcast.net`,
 * `amazon.co.uk`) rather than two words with a missing space. Deliberately left out: country
 * codes that are everyday words when a space is forgotten after a full stop (`is`, `in`, `it`,
 * `at`, `be`, `to`, `no`, `so`, `my`, `me`, `am`, `do`, `go`, `us`, `as`, `by`, `im`, `id`)
 * and generic top-level domains that are English words (`news`, `live`, `help`, `shop`, …).
 * URLs with a scheme or `www.` are recognised whatever their top-level domain.
 */
export const topLevelDomains: ReadonlySet<string> = new Set(
  (
    'com net org edu gov mil int info biz mobi app dev io ai co tv ly gl fm gg sh ws cc xyz ' +
    'aero ca uk de fr nl es eu ch se dk fi pl cz pt ru ua br mx ar cl jp cn kr tw hk sg au nz za ' +
    'ie tk gr hu ro bg hr rs sk si lt lv ee tr il ae sa qa eg ng ke pk bd vn th ph'
  ).split(' '),
);
