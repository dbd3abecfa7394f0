import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { can } from '../../platform/auth/roles.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http/auth-guard.ts';
import { DEFAULT_INTENT_RULES, OTHER_INTENT } from './classify-intent.ts';
import { createLlmProvider, type LlmProvider } from './openai-provider.ts';
import { correctPostLabels, countTrainingExamples } from './record-training-example.ts';
import { retrainModel } from './retrain-model.ts';
import {
  activateModel,
  deactivateTask,
  findModel,
  listModels,
  summariseModel,
  TRIAGE_TASKS,
} from './store-models.ts';

const task = z
  .enum(TRIAGE_TASKS as [string, ...string[]])
  .transform((t) => t as (typeof TRIAGE_TASKS)[number]);
const idParams = z.object({ id: z.uuid() });

/** Triage models: list, activate (admin), retrain from the team's examples (manager), label corrections. */
export async function intelligenceRoutes(app: FastifyInstance, ctx: AppContext) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['intelligence'];
  const llm = createLlmProvider({
    baseUrl: ctx.config.OPENAI_BASE_URL,
    apiKey: ctx.config.OPENAI_API_KEY,
    model: ctx.config.OPENAI_MODEL,
  });
  const requireLlm = (): LlmProvider => {
    if (!llm) {
      throw new AppError(
        'llm_disabled',
        'No language model endpoint is configured (set OPENAI_BASE_URL)',
        409,
      );
    }
    return llm;
  };
  const postText = z.string().trim().min(1).max(20_000);

  r.get(
    '/api/v1/models',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary: 'Stored triage models (newest first, weights left out) and the labelled examples per task',
        querystring: z.object({ task: task.optional() }),
      },
    },
    async (req) => ({
      items: await listModels(ctx.db, req.query.task),
      examples: await countTrainingExamples(ctx.db),
    }),
  );
  r.get(
    '/api/v1/models/:id',
    {
      config: { roles: can.manage },
      schema: { tags, summary: 'A stored model with its metrics', params: idParams },
    },
    async (req) => {
      const row = await findModel(ctx.db, req.params.id);
      if (!row) throw notFound('Model');
      return summariseModel(row);
    },
  );
  r.post(
    '/api/v1/models/:id/activate',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Make this model the one its task uses (the pipeline switches at once); audited',
        params: idParams,
      },
    },
    async (req) => {
      const row = await activateModel(ctx.db, req.params.id, actorOf(req));
      await ctx.enricher.reload();
      return summariseModel(row);
    },
  );
  r.post(
    '/api/v1/models/deactivate',
    {
      config: { roles: can.admin },
      schema: {
        tags,
        summary: 'Go back to the built-in rules for a task; audited',
        body: z.object({ task }),
      },
    },
    async (req) => {
      await deactivateTask(ctx.db, req.body.task, actorOf(req));
      await ctx.enricher.reload();
      return { task: req.body.task, active: null };
    },
  );
  r.post(
    '/api/v1/models/retrain',
    {
      config: { roles: can.manage },
      schema: {
        tags,
        summary:
          'Retrain a task from the labelled examples; compares the new model with the active one on held-out examples and switches only if it is at least as good',
        body: z.object({
          task,
          activate: z.enum(['if_better', 'never']).optional(),
          name: z.string().trim().min(1).max(200).optional(),
          holdout: z.number().min(0.1).max(0.5).optional(),
          minExamples: z.number().int().min(10).max(1_000_000).optional(),
        }),
      },
    },
    async (req) => {
      const result = await retrainModel(ctx.db, req.body, actorOf(req));
      if (result.activated) await ctx.enricher.reload();
      return result;
    },
  );
  r.post(
    '/api/v1/posts/:id/labels',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Correct a post’s sentiment, intent or actionable; each correction becomes a training example',
        params: idParams,
        body: z
          .object({
            sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
            intent: z
              .string()
              .trim()
              .toLowerCase()
              .regex(/^[a-z][a-z0-9_ -]{0,63}$/, 'an intent name: letters, digits, _ - and spaces')
              .optional(),
            actionable: z.boolean().optional(),
          })
          .refine((b) => b.sentiment !== undefined || b.intent !== undefined || b.actionable !== undefined, {
            message: 'give at least one of sentiment, intent, actionable',
          }),
      },
    },
    async (req) => {
      const post = await correctPostLabels(ctx.db, req.params.id, req.body, actorOf(req));
      return {
        id: post.id,
        sentiment: post.sentiment,
        intent: post.intent,
        actionable: post.actionable,
        signals: post.signals,
      };
    },
  );
  r.post(
    '/api/v1/triage/classify',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'Triage signals of a text: the built-in and active models, or (`provider: "llm"`) the configured language model as a second opinion',
        body: z.object({ text: postText, provider: z.enum(['builtin', 'llm']).optional() }),
      },
    },
    async (req) => {
      const builtin = ctx.enricher.enrich(req.body.text, { channel: 'api', toBrand: true });
      if (req.body.provider !== 'llm') return { provider: 'builtin', ...builtin };
      const provider = requireLlm();
      const intents = [...new Set([...DEFAULT_INTENT_RULES.map((x) => x.intent), OTHER_INTENT])];
      const sentiment = await provider.classify(req.body.text, 'sentiment', [
        'negative',
        'neutral',
        'positive',
      ]);
      const intent = await provider.classify(req.body.text, 'intent', intents);
      return {
        provider: 'llm',
        model: provider.model,
        sentiment: sentiment.label,
        intent: intent.label,
        builtin: { sentiment: builtin.sentiment, intent: builtin.intent },
      };
    },
  );
  r.post(
    '/api/v1/triage/draft-reply',
    {
      config: { roles: can.work },
      schema: {
        tags,
        summary:
          'A reply draft from the configured language model (409 llm_disabled when none); PII is redacted both ways',
        body: z.object({
          text: postText,
          history: z.array(postText).max(50).optional(),
          brand: z.string().trim().max(200).optional(),
          instructions: z.string().trim().max(4000).optional(),
        }),
      },
    },
    async (req) => {
      const { text, ...rest } = req.body;
      const draft = await requireLlm().draftReply({ post: text, ...rest });
      return { ...draft, model: requireLlm().model };
    },
  );
}
