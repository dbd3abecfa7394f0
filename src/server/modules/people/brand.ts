import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { getSetting } from '../../platform/settings.ts';

/** The brand's own accounts and addresses: posts to them address the brand; posts by them are outbound. */
export const brandSchema = z.object({
  name: z.string().default('Brand'),
  handles: z.array(z.string().min(1)).default([]),
  emails: z.array(z.string().min(3)).default([]),
  domains: z.array(z.string().min(3)).default([]),
});
export type Brand = z.infer<typeof brandSchema>;

export const BRAND_SETTING = 'brand';

export function getBrand(db: Db): Promise<Brand> {
  return getSetting(db, BRAND_SETTING, brandSchema);
}

const norm = (h: string) => h.replace(/^@/, '').toLowerCase();

/** True when the handle is one of the brand's (case-insensitive, `@` optional). */
export function isBrandHandle(brand: Brand, handle: string): boolean {
  const h = norm(handle);
  return brand.handles.some((b) => norm(b) === h) || brand.emails.some((e) => e.toLowerCase() === h);
}

/** True when the text mentions one of the brand's handles or e-mail addresses. */
export function mentionsBrand(brand: Brand, text: string): boolean {
  const lower = text.toLowerCase();
  for (const h of brand.handles) {
    const needle = `@${norm(h)}`;
    let i = lower.indexOf(needle);
    while (i !== -1) {
      const next = lower.charCodeAt(i + needle.length);
      const prev = i > 0 ? lower.charCodeAt(i - 1) : 32;
      const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95;
      if (!isWordChar(next) && !isWordChar(prev)) return true;
      i = lower.indexOf(needle, i + 1);
    }
  }
  return false;
}
