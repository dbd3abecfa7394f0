import { describe, expect, it } from 'vitest';
import { classifyIntent, DEFAULT_INTENT_RULES } from './classify-intent.ts';
import { detectActionable } from './detect-actionable.ts';
import { detectServiceRecovery } from './detect-service-recovery.ts';

describe('classifyIntent', () => {
  it.each([
    ['@comcast internet is down again in 19103, third time this week', 'outage'],
    ['@brand is your website down? keep getting a blank page', 'outage'],
    ['why was I charged twice on my bill this month', 'billing'],
    ['the technician never showed up for my installation appointment', 'appointment'],
    ['I want to cancel my account, switching to another provider', 'cancellation'],
    ['the app keeps crashing when I log in', 'technical'],
    ['what time does the store open tomorrow?', 'question'],
    ['thank you so much, great service today!', 'praise'],
    ['check out my channel, free followers giveaway click here', 'spam'],
    ['just landed in Denver', 'other'],
  ])('%s → %s', (text, intent) => {
    expect(classifyIntent(text).intent).toBe(intent);
  });

  it('takes an installation’s own rules', () => {
    const rules = [{ intent: 'roaming', patterns: [/\broaming\b/i] }, ...DEFAULT_INTENT_RULES];
    expect(classifyIntent('roaming not working in Spain', rules).intent).toBe('roaming');
  });

  it('stays linear on posts with dozens of handles (no regex backtracking blow-up)', () => {
    const text = `${Array.from({ length: 60 }, (_, i) => `@user${i}`).join(' ')} Need a weekly over under`;
    const started = performance.now();
    classifyIntent(text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('detectServiceRecovery', () => {
  it.each([
    ['you charged me twice for the same month', 'billing_error'],
    ['there is a wrong charge of $40 on my statement', 'wrong_charge'],
    ['the technician never showed up, I took a day off for this', 'missed_appointment'],
    ['internet is still down in my area, any ETA on the outage?', 'outage'],
    ['you cancelled my flight and lost my bag', 'service_failure'],
    ['you promised me a callback and never called', 'broken_promise'],
  ])('%s → %s', (text, reason) => {
    expect(detectServiceRecovery(text).reasons).toContain(reason);
  });

  it('does not confuse anger or a question with a company error', () => {
    expect(detectServiceRecovery('I hate Mondays, how do I change my seat?').detected).toBe(false);
  });
});

describe('detectActionable', () => {
  it('needs a response for problems, questions and complaints addressed to the brand', () => {
    expect(detectActionable('outage', 'negative', { toBrand: true }).actionable).toBe(true);
    expect(detectActionable('question', 'neutral', { toBrand: true }).actionable).toBe(true);
    expect(detectActionable('other', 'negative', { toBrand: true }).actionable).toBe(true);
  });

  it('does not for praise, spam, reposts, outbound posts or chatter about the brand', () => {
    expect(detectActionable('praise', 'positive', { toBrand: true }).actionable).toBe(false);
    expect(detectActionable('spam', 'neutral', { toBrand: true }).actionable).toBe(false);
    expect(detectActionable('outage', 'negative', { isRepost: true }).actionable).toBe(false);
    expect(detectActionable('question', 'neutral', { direction: 'outbound' }).actionable).toBe(false);
    expect(detectActionable('question', 'neutral', { toBrand: false }).actionable).toBe(false);
    expect(detectActionable('outage', 'negative', { toBrand: false }).actionable).toBe(true);
  });
});
