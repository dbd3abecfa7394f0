import { describe, expect, it } from 'vitest';
import { activeView, filtersOf } from './inbox-views.ts';

describe('inbox views', () => {
  it('passes only the API filters on, without empty values or the view label', () => {
    expect(filtersOf({ view: 'mine', assignee: 'me', q: '', status: undefined })).toEqual({ assignee: 'me' });
  });
  it('recognises a saved view from its filters, whatever the label says', () => {
    expect(activeView({})).toBe('open');
    expect(activeView({ assignee: 'me', view: 'whatever' })).toBe('mine');
    expect(activeView({ status: 'resolved,closed' })).toBe('resolved');
    expect(activeView({ queue: 'q-1' })).toBe('queue:q-1');
    expect(activeView({ assignee: 'me', channel: 'x' })).toBeNull();
  });
});
