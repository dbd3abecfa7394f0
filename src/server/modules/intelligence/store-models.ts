import { and, desc, eq, ne } from 'drizzle-orm';
import { type Actor, audit } from '../../platform/audit.ts';
import type { Db } from '../../platform/db/client.ts';
import { notFound } from '../../platform/errors.ts';
import type { LoadedModel, TriageModels } from './enrich-post.ts';
import { models, type TriageTask } from './intelligence.schema.ts';
import { deserialiseClassifier, serialiseClassifier } from './serialise-classifier.ts';
import type { TextClassifier } from './train-classifier.ts';

export const TRIAGE_TASKS: readonly TriageTask[] = ['sentiment', 'intent', 'actionable'];

export type ModelRow = typeof models.$inferSelect;

/** A stored model without its weights, as listed to users. */
export type ModelSummary = Omit<ModelRow, 'weights'> & { sizeBytes: number };

export function summariseModel(row: ModelRow): ModelSummary {
  const { weights, ...rest } = row;
  return { ...rest, sizeBytes: weights.length };
}

export type SaveModelInput = {
  task: TriageTask;
  name: string;
  classifier: TextClassifier;
  params?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  trainedOn: { examples: number; source: string };
  /** Make it the active model of its task (the previous one is deactivated). */
  activate?: boolean;
  createdBy?: string | null;
};

/** Stores a trained model (a new version: names may repeat, the newest wins on lookup). */
export async function saveModel(db: Db, input: SaveModelInput, actor: Actor): Promise<ModelRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(models)
      .values({
        task: input.task,
        name: input.name,
        algorithm: input.classifier.algorithm,
        labels: input.classifier.labels,
        weights: serialiseClassifier(input.classifier),
        params: { features: input.classifier.features, ...input.params },
        metrics: input.metrics ?? {},
        trainedOn: input.trainedOn,
        active: false,
        createdBy: input.createdBy ?? actor.userId,
      })
      .returning();
    await audit(
      tx,
      actor,
      'model.created',
      { type: 'model', id: row!.id },
      { task: input.task, name: input.name },
    );
    if (input.activate) return activateModelIn(tx, row!.id, actor);
    return row!;
  });
}

async function activateModelIn(tx: Db, id: string, actor: Actor): Promise<ModelRow> {
  const [row] = await tx.select().from(models).where(eq(models.id, id));
  if (!row) throw notFound('Model');
  await tx
    .update(models)
    .set({ active: false })
    .where(and(eq(models.task, row.task), ne(models.id, id), eq(models.active, true)));
  const [updated] = await tx.update(models).set({ active: true }).where(eq(models.id, id)).returning();
  await audit(tx, actor, 'model.activated', { type: 'model', id }, { task: row.task, name: row.name });
  return updated!;
}

/** Makes a model the one its task uses; the previously active model of the task is kept, inactive. */
export async function activateModel(db: Db, id: string, actor: Actor): Promise<ModelRow> {
  return db.transaction((tx) => activateModelIn(tx, id, actor));
}

/** Stops using any trained model for a task (the built-in rules take over). */
export async function deactivateTask(db: Db, task: TriageTask, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(models)
      .set({ active: false })
      .where(and(eq(models.task, task), eq(models.active, true)));
    await audit(tx, actor, 'model.deactivated', { type: 'model' }, { task });
  });
}

/** Every stored model, newest first (weights left out). */
export async function listModels(db: Db, task?: TriageTask): Promise<ModelSummary[]> {
  const rows = await db
    .select()
    .from(models)
    .where(task ? eq(models.task, task) : undefined)
    .orderBy(desc(models.createdAt));
  return rows.map(summariseModel);
}

/** A model by id, or by name (the newest version of that name). */
export async function findModel(db: Db, idOrName: string): Promise<ModelRow | undefined> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const [row] = await db
    .select()
    .from(models)
    .where(uuid ? eq(models.id, idOrName) : eq(models.name, idOrName))
    .orderBy(desc(models.createdAt))
    .limit(1);
  return row;
}

export function loadModel(row: ModelRow): LoadedModel {
  return { name: row.name, classifier: deserialiseClassifier(row.weights) };
}

/** The active model of each task (tasks without one are left out: the built-in rules apply). */
export async function loadActiveModels(db: Db): Promise<TriageModels> {
  const rows = await db.select().from(models).where(eq(models.active, true));
  const out: TriageModels = {};
  for (const row of rows) out[row.task] = loadModel(row);
  return out;
}
