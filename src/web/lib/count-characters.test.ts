import { describe, expect, it } from 'vitest';
import { countCharacters } from './count-characters.ts';

describe('countCharacters', () => {
  it('counts an emoji (a surrogate pair) as one character, like the networks do', () => {
    expect('👍'.length).toBe(2);
    expect(countCharacters('thanks 👍')).toBe(8);
    expect(countCharacters('')).toBe(0);
  });
});
