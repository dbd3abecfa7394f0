import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessSecondsBetween, type Calendar } from './business-hours.ts';

const weekdays = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((d) => [d, [['09:00', '17:00']] as [string, string][]]),
);
const newYork: Calendar = { timezone: 'America/New_York', hours: weekdays, holidays: ['2026-07-03'] };

describe('business hours', () => {
  it('counts only opening hours, skipping holidays and weekends, in the calendar time zone', () => {
    // Thursday 2 July 2026, 16:30 in New York (EDT, UTC-4): 30 minutes left that day, Friday is a holiday.
    const due = addBusinessMinutes(new Date('2026-07-02T20:30:00Z'), 60, newYork);
    expect(due.toISOString()).toBe('2026-07-06T13:30:00.000Z');
    expect(businessSecondsBetween(new Date('2026-07-02T20:30:00Z'), due, newYork)).toBe(3600);
  });

  it('starts at the next opening when the clock starts outside hours, across a DST change', () => {
    // Saturday 7 March 2026 noon UTC; New York switches to EDT on Sunday 8 March.
    expect(addBusinessMinutes(new Date('2026-03-07T12:00:00Z'), 30, newYork).toISOString()).toBe(
      '2026-03-09T13:30:00.000Z',
    );
    // The Friday before, in EST (UTC-5).
    expect(addBusinessMinutes(new Date('2026-03-06T13:00:00Z'), 30, newYork).toISOString()).toBe(
      '2026-03-06T14:30:00.000Z',
    );
  });

  it('runs round the clock when a calendar has no hours', () => {
    const cal: Calendar = { timezone: 'UTC', hours: {}, holidays: [] };
    expect(addBusinessMinutes(new Date('2026-01-01T23:50:00Z'), 20, cal).toISOString()).toBe(
      '2026-01-02T00:10:00.000Z',
    );
  });
});
