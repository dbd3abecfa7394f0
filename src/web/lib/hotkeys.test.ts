import { describe, expect, it } from 'vitest';
import { keyOf } from './hotkeys.ts';

const ev = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...mods,
});

describe('keyOf', () => {
  it('keeps printable keys as typed and lower-cases named keys', () => {
    expect(keyOf(ev('j'))).toBe('j');
    expect(keyOf(ev('?'))).toBe('?');
    expect(keyOf(ev('Enter'))).toBe('enter');
    expect(keyOf(ev('ArrowDown'))).toBe('arrowdown');
  });
  it('ignores key presses with Ctrl, Cmd or Alt (browser and system shortcuts)', () => {
    expect(keyOf(ev('r', { ctrlKey: true }))).toBeNull();
    expect(keyOf(ev('e', { metaKey: true }))).toBeNull();
    expect(keyOf(ev('a', { altKey: true }))).toBeNull();
  });
});
