import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { sharedDataPath } from '../../platform/shared-data.ts';
import { detectLanguage } from './detect-language.ts';

describe('detectLanguage', () => {
  it.each([
    ['@comcast my internet has been down since this morning, any update?', 'en'],
    ["Bonjour, mon colis n'est pas arrivé et personne ne répond", 'fr'],
    ['Mi pedido no ha llegado todavía, ¿me pueden ayudar?', 'es'],
    ['Mein Paket ist immer noch nicht da, was ist los?', 'de'],
    ['Obrigado pela ajuda, o problema foi resolvido', 'pt'],
    ['Привет, у меня не работает интернет уже два дня', 'ru'],
    ['インターネットが繋がりません', 'ja'],
    ['인터넷이 안 돼요', 'ko'],
    ['ok', 'und'],
    ['@brand 👍 https://t.co/abc', 'und'],
  ])('%s → %s', (text, lang) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it('calls at least 95 % of the (English) airline tweets English', () => {
    const rows = parse(readFileSync(sharedDataPath('airline-sentiment-dev.csv')), { columns: true }) as {
      text: string;
    }[];
    const langs = rows.map((r) => detectLanguage(r.text));
    const en = langs.filter((l) => l === 'en').length / langs.length;
    const wrong = langs.filter((l) => l !== 'en' && l !== 'und').length / langs.length;
    expect(en).toBeGreaterThan(0.95);
    expect(wrong).toBeLessThan(0.01);
  });
});
