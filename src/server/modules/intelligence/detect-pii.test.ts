import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../platform/shared-data.ts';
import { findEchoedPii, findPii, luhnValid, redactPii } from './detect-pii.ts';

const kinds = (text: string) => findPii(text).map((s) => [s.kind, text.slice(s.start, s.end)]);

describe('findPii', () => {
  it('finds e-mail addresses with their spans', () => {
    const text = 'please email me at jane.doe+care@example.co.uk thanks';
    expect(findPii(text)).toEqual([{ kind: 'email', start: 19, end: 46 }]);
  });

  it('finds US and international phone numbers, and bare digits only after a phone keyword', () => {
    expect(kinds('call me at (555) 123-4567 or +44 20 7946 0958')).toEqual([
      ['phone', '(555) 123-4567'],
      ['phone', '+44 20 7946 0958'],
    ]);
    expect(kinds('reach us on 1-800-379-6453 or 555.123.4567')).toEqual([
      ['phone', '1-800-379-6453'],
      ['phone', '555.123.4567'],
    ]);
    expect(kinds('my number is 9067605428')).toEqual([['phone', '9067605428']]);
    expect(kinds('order 9067605428 arrived')).toEqual([]);
  });

  it('finds card numbers only when the Luhn checksum holds', () => {
    expect(luhnValid('4111 1111 1111 1111')).toBe(true);
    expect(luhnValid('4111 1111 1111 1112')).toBe(false);
    expect(kinds('card 4111 1111 1111 1111 exp 09/27')).toEqual([['card', '4111 1111 1111 1111']]);
    expect(kinds('card 4111 1111 1111 1112 exp 09/27')).toEqual([]);
    expect(kinds('Amex 3782 822463 10005')).toEqual([['card', '3782 822463 10005']]);
    expect(kinds('tracking 5180735251790')).toEqual([]);
  });

  it('finds account numbers after a keyword, with configurable patterns', () => {
    expect(kinds('my account number is 12345678')).toEqual([['account', '12345678']]);
    expect(kinds('Account# 7182252402983 still wrong')).toEqual([['account', '7182252402983']]);
    expect(kinds('customer service is slow')).toEqual([]);
    const custom = findPii('ref CX-99-1234 please', { accountPatterns: [/\bCX-\d{2}-\d{4}\b/] });
    expect(custom).toEqual([{ kind: 'account', start: 4, end: 14 }]);
  });

  it('finds postal addresses where they are detectable', () => {
    expect(kinds('I live at 6720 W Roosevelt Rd, Oak Park, IL 60304 thanks')).toEqual([
      ['address', '6720 W Roosevelt Rd, Oak Park, IL 60304'],
    ]);
    expect(kinds('send it to 221B Baker Street please')).toEqual([['address', '221B Baker Street']]);
    expect(kinds('534 Holdcombe Road, Greenmount, Bury BL8 4EJ')[0]![0]).toBe('address');
    expect(kinds('waited 3 hours on the way to the gate')).toEqual([]);
  });

  it('never reports digits inside links, dates or flight numbers', () => {
    expect(findPii('see https://t.co/abc1234567890 and 2017-10-04, flight 1234 at 10:45')).toEqual([]);
  });

  it('finds every e-mail address customers posted in the real care conversations', () => {
    const conversations = JSON.parse(readFileSync(sharedDataPath('care-conversations-dev.json'), 'utf8')) as {
      dialogContent: { message: string }[];
    }[];
    const messages = conversations.flatMap((c) => c.dialogContent.map((d) => d.message));
    const withEmail = messages.filter((m) => /[\w.+-]+@[\w-]+\.[a-z]{2,}/i.test(m));
    expect(withEmail.length).toBeGreaterThan(0);
    for (const m of withEmail) expect(findPii(m).some((s) => s.kind === 'email')).toBe(true);
    // few findings in ordinary care text: PII is the exception, not the rule
    const flagged = messages.filter((m) => findPii(m).length > 0);
    expect(flagged.length / messages.length).toBeLessThan(0.02);
  });
});

describe('redactPii and findEchoedPii', () => {
  it('replaces spans with placeholders', () => {
    expect(redactPii('mail jane@example.com or call 555-123-4567')).toBe('mail [email] or call [phone]');
  });

  it('flags a reply that repeats the customer’s own data, not the brand’s own contact', () => {
    const post = 'my email is jane@example.com and my phone 555-123-4567';
    const reply = 'Hi! We e-mailed JANE@example.com; or call us at 1-800-379-6453.';
    const echoed = findEchoedPii(reply, post);
    expect(echoed.map((s) => reply.slice(s.start, s.end))).toEqual(['JANE@example.com']);
  });
});
