import type { NormalisedPost } from '../../common/post.schema.ts';

/** A small seeded PRNG (mulberry32) so demo data and benchmarks are reproducible. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEMO_BRAND = {
  name: 'Northwind Cable & Internet',
  handles: ['northwindcares', 'northwind'],
  emails: ['care@northwind-cable.example'],
  domains: ['northwind-cable.example'],
};

const FIRST = [
  'Jamie',
  'Alex',
  'Priya',
  'Marcus',
  'Elena',
  'Tom',
  'Aisha',
  'Diego',
  'Mei',
  'Noah',
  'Fatima',
  'Oliver',
  'Sofia',
  'Kwame',
  'Hannah',
  'Luca',
];
const LAST = [
  'Rivera',
  'Chen',
  'Okafor',
  'Novak',
  'Schmidt',
  'Patel',
  'Johnson',
  'Kowalski',
  'Haddad',
  'Larsen',
  'Moreau',
  'Silva',
];
const TOWNS = ['Springfield', 'Riverton', 'Lakeside', 'Maple Grove', 'Fairview', 'Oakdale'];

type Template = { intent: string; text: (t: string) => string };
const TEMPLATES: Template[] = [
  {
    intent: 'outage',
    text: (t) => `@northwindcares internet has been down in ${t} since this morning. Is there an outage?`,
  },
  {
    intent: 'outage',
    text: (t) => `No internet AGAIN in ${t}. Third time this week @northwindcares, I work from home!`,
  },
  {
    intent: 'billing',
    text: () => `@northwindcares I was charged twice for my November bill. Please fix this double charge.`,
  },
  {
    intent: 'billing',
    text: () => `Why did my bill go up $20 without notice @northwind? Nobody told me about a price change.`,
  },
  {
    intent: 'appointment',
    text: () =>
      `@northwindcares the technician never showed up for my 10am install appointment. Waited all day.`,
  },
  {
    intent: 'appointment',
    text: () => `Can I reschedule my installation appointment to Saturday? @northwindcares`,
  },
  {
    intent: 'technical',
    text: () =>
      `@northwindcares my modem keeps rebooting every hour, lights blinking orange. Tried restarting.`,
  },
  {
    intent: 'technical',
    text: () => `Wifi speeds are 5 Mbps on a 300 Mbps plan @northwindcares what's going on?`,
  },
  {
    intent: 'cancellation',
    text: () => `Thinking about cancelling @northwind after 6 years. Service keeps getting worse.`,
  },
  { intent: 'question', text: () => `@northwindcares do you offer a plan with just internet, no TV?` },
  {
    intent: 'praise',
    text: () =>
      `Shout out to @northwindcares, the tech today was super helpful and fixed everything in 20 minutes!`,
  },
  { intent: 'praise', text: () => `Northwind support sorted my issue in one chat. Impressed.` },
  {
    intent: 'mention',
    text: (t) => `Watching the game at a bar in ${t} because northwind cable is out at home lol`,
  },
];
const NOISE = [
  (n: string) => `Great recipe for banana bread! Questions? Write to me at ${n.toLowerCase()}@northwind.net`,
  (n: string) =>
    `My portfolio is online. Contact: ${n.toLowerCase()}.design@northwind.net — https://www.northwind.net/~${n.toLowerCase()}`,
];

export type DemoCustomer = {
  accountNumber: string;
  name: string;
  email: string;
  handle: string;
  plan: string;
};

/** Synthetic customer accounts of the fictional brand. */
export function demoCustomers(count = 40, seed = 7): DemoCustomer[] {
  const r = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const first = pick(FIRST);
    const last = pick(LAST);
    return {
      accountNumber: `NW-${String(100000 + i * 37).padStart(6, '0')}`,
      name: `${first} ${last}`,
      email: `${first}.${last}${i}@example.com`.toLowerCase(),
      handle: `${first}${last}${i}`.toLowerCase(),
      plan: pick(['Internet 300', 'Internet 1000', 'TV + Internet', 'Business 500']),
    };
  });
}

/** The n-th synthetic post of the demo stream (deterministic for a seed). */
export function demoPost(n: number, at: Date, seed = 42): NormalisedPost {
  const r = prng(seed * 1_000_003 + n);
  const customers = demoCustomers();
  const known = r() < 0.6;
  const c = customers[Math.floor(r() * customers.length)]!;
  const handle = known
    ? c.handle
    : `${FIRST[Math.floor(r() * FIRST.length)]!.toLowerCase()}_${Math.floor(r() * 9000 + 1000)}`;
  const followers = r() < 0.05 ? 1_000_000 + Math.floor(r() * 1e6) : Math.floor(r() * 800);
  const town = TOWNS[Math.floor(r() * TOWNS.length)]!;
  const noise = r() < 0.15;
  const text = noise
    ? NOISE[Math.floor(r() * NOISE.length)]!(handle)
    : TEMPLATES[Math.floor(r() * TEMPLATES.length)]!.text(town);
  return {
    channel: 'sandbox',
    externalId: `demo-${seed}-${n}`,
    url: `https://sandbox.example/${handle}/${n}`,
    author: { externalId: `sbx-${handle}`, handle, displayName: handle, followers },
    text,
    createdAt: at.toISOString(),
    direction: 'inbound',
  };
}
