import { asc, eq, sql } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { templateVariables } from './render-template.ts';
import { type ReplyMode, templates } from './responses.schema.ts';

type TemplateRow = typeof templates.$inferSelect;
export type TemplateInput = {
  name?: string | undefined;
  body?: string | undefined;
  channels?: string[] | undefined;
  modes?: ReplyMode[] | undefined;
};

export const presentTemplate = (t: TemplateRow) => ({
  id: t.id,
  name: t.name,
  body: t.body,
  channels: t.channels,
  modes: t.modes,
  variables: templateVariables(t.body),
  createdAt: t.createdAt,
  updatedAt: t.updatedAt,
});

export async function listTemplates(
  db: Db,
  filter: { channel?: string | undefined; mode?: string | undefined } = {},
) {
  const rows = await db.select().from(templates).orderBy(asc(templates.name));
  return rows
    .filter((t) => !filter.channel || !t.channels.length || t.channels.includes(filter.channel))
    .filter((t) => !filter.mode || !t.modes.length || t.modes.includes(filter.mode))
    .map(presentTemplate);
}

export async function getTemplate(db: Db, id: string) {
  const [t] = await db.select().from(templates).where(eq(templates.id, id));
  if (!t) throw notFound('Template');
  return t;
}

/** Creates or changes a template; its variables must be known ones (400 naming the unknown). */
export async function saveTemplate(db: Db, id: string | null, input: TemplateInput, actor: Actor) {
  if (input.body !== undefined) templateVariables(input.body);
  return db.transaction(async (tx) => {
    if (input.name) {
      const [clash] = await tx
        .select({ id: templates.id })
        .from(templates)
        .where(sql`lower(${templates.name}) = lower(${input.name})`);
      if (clash && clash.id !== id)
        throw conflict(`A template named ${input.name} exists`, { templateId: clash.id }, 'template_exists');
    }
    const values = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<
      typeof templates.$inferInsert
    >;
    let row: TemplateRow | undefined;
    if (id) {
      [row] = await tx
        .update(templates)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(templates.id, id))
        .returning();
      if (!row) throw notFound('Template');
    } else {
      [row] = await tx
        .insert(templates)
        .values({
          name: input.name!,
          body: input.body!,
          channels: input.channels ?? [],
          modes: input.modes ?? [],
          createdBy: actor.userId,
        })
        .returning();
    }
    await audit(
      tx,
      actor,
      id ? 'template.updated' : 'template.created',
      { type: 'template', id: row!.id },
      { name: row!.name },
    );
    return presentTemplate(row!);
  });
}

export async function deleteTemplate(db: Db, id: string, actor: Actor) {
  await db.transaction(async (tx) => {
    const [t] = await tx.delete(templates).where(eq(templates.id, id)).returning({ name: templates.name });
    if (!t) throw notFound('Template');
    await audit(tx, actor, 'template.deleted', { type: 'template', id }, { name: t.name });
  });
}
