import { describe, expect, it } from 'vitest';
import { dueState, formatDuration, formatPercent, formatRelative } from './format.ts';

const now = Date.parse('2026-03-10T12:00:00Z');
const at = (deltaMs: number) => new Date(now + deltaMs);

describe('formatRelative', () => {
  it('says "just now" within 45 seconds either way', () => {
    expect(formatRelative(at(-30_000), now)).toBe('just now');
    expect(formatRelative(at(30_000), now)).toBe('in a moment');
  });
  it('counts minutes, hours and days, past and future', () => {
    expect(formatRelative(at(-5 * 60_000), now)).toBe('5 min ago');
    expect(formatRelative(at(3 * 3_600_000), now)).toBe('in 3 h');
    expect(formatRelative(at(-2 * 86_400_000), now)).toBe('2 d ago');
  });
  it('falls back to a date after two weeks', () => {
    expect(formatRelative(at(-30 * 86_400_000), now)).not.toMatch(/ago|in /);
  });
});

describe('dueState', () => {
  it('is overdue (danger) after the due time, due soon (warning) within 30 minutes, else neutral', () => {
    expect(dueState(at(-10 * 60_000).toISOString(), now)).toEqual({
      tone: 'danger',
      label: 'Overdue 10 min',
    });
    expect(dueState(at(20 * 60_000).toISOString(), now)).toEqual({ tone: 'warning', label: 'Due in 20 min' });
    expect(dueState(at(5 * 3_600_000).toISOString(), now)).toEqual({ tone: 'neutral', label: 'Due in 5 h' });
    expect(dueState(null, now)).toBeNull();
  });
});

describe('formatDuration and formatPercent', () => {
  it('picks a readable unit', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(12 * 60)).toBe('12 min');
    expect(formatDuration(3.5 * 3600)).toBe('3.5 h');
    expect(formatDuration(3 * 86_400)).toBe('3.0 d');
    expect(formatDuration(null)).toBe('—');
  });
  it('rounds percentages to one decimal', () => {
    expect(formatPercent(0.8234)).toBe('82.3%');
    expect(formatPercent(null)).toBe('—');
  });
});
