import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, audit } from './audit.ts';
import type { Db } from './db/client.ts';
import { settings } from './db/platform.schema.ts';

/** Reads a validated installation setting, falling back to the schema's default. */
export async function getSetting<S extends z.ZodType>(db: Db, key: string, schema: S): Promise<z.infer<S>> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  const parsed = schema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : schema.parse({});
}

/** Writes a setting and records the change in the audit log. */
export async function putSetting<S extends z.ZodType>(
  db: Db,
  key: string,
  schema: S,
  value: unknown,
  actor: Actor,
): Promise<z.infer<S>> {
  const parsed = schema.parse(value);
  await db.transaction(async (tx) => {
    await tx
      .insert(settings)
      .values({ key, value: parsed, updatedBy: actor.userId })
      .onConflictDoUpdate({
        target: settings.key,
        set: { value: parsed, updatedAt: new Date(), updatedBy: actor.userId },
      });
    await audit(tx, actor, 'setting.updated', { type: 'setting', id: key }, { value: parsed });
  });
  return parsed;
}
