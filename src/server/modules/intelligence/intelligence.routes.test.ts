import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalisedPostInput } from '../../../common/post.schema.ts';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { posts } from '../conversations/conversations.schema.ts';
import { trainingExamples } from './intelligence.schema.ts';
import { learnFromDismissal } from './learn-from-decisions.ts';
import { recordTrainingExample } from './record-training-example.ts';

let seq = 0;
const post = (text: string): NormalisedPostInput => ({
  channel: 'sandbox',
  externalId: `intel-${Date.now()}-${++seq}`,
  author: { externalId: `ui-${seq}`, handle: `intel${seq}` },
  text,
  createdAt: new Date().toISOString(),
  direction: 'inbound',
  toBrand: true,
});

// Synthetic examples written for this test (a fictional ISP's customers).
const negative = [
  'internet down again',
  'no signal since noon',
  'router dead, third time',
  'still no connection',
  'dropped calls all day',
  'outage again tonight',
];
const positive = [
  'thanks, all fixed',
  'great help today',
  'love the new app',
  'technician was lovely',
  'quick and kind support',
  'works perfectly now',
];
const neutral = [
  'what are your opening hours',
  'how do I change plan',
  'where is the nearest store',
  'can I move my appointment',
  'which modem do I have',
  'when does my contract end',
];

describe.each(drivers)('triage models API (%s)', (driver) => {
  let t: TestApp;
  const auth: Record<string, { authorization: string }> = {};
  const call = (method: 'GET' | 'POST', url: string, role: string, payload?: object) =>
    t.app.inject({ method, url, headers: auth[role], ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    t = await createTestApp(driver, { scheduler: false });
    for (const role of ['admin', 'manager', 'agent', 'viewer'] as const) {
      auth[role] = { authorization: `Bearer ${(await t.tokenFor(role)).token}` };
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it('enriches stored posts with every signal through the pipeline', async () => {
    const res = await call('POST', '/api/v1/posts', 'admin', {
      posts: [post('@brand you charged me twice and my internet is down, call 555-123-4567')],
    });
    const postId = res.json().results[0].postId as string;
    await t.idle();
    const [row] = await t.ctx.db.select().from(posts).where(eq(posts.id, postId));
    expect(row).toMatchObject({ lang: 'en', sentiment: 'negative', actionable: true, serviceRecovery: true });
    expect(row!.pii).toEqual([{ kind: 'phone', start: 58, end: 70 }]);
  });

  it('an agent corrects labels; each correction becomes a training example; roles are enforced', async () => {
    const res = await call('POST', '/api/v1/posts', 'admin', {
      posts: [post('my modem light is blinking orange')],
    });
    const postId = res.json().results[0].postId as string;
    await t.idle();
    expect(
      (await call('POST', `/api/v1/posts/${postId}/labels`, 'viewer', { sentiment: 'negative' })).statusCode,
    ).toBe(403);
    expect((await call('POST', `/api/v1/posts/${postId}/labels`, 'agent', {})).statusCode).toBe(400);
    const fixed = await call('POST', `/api/v1/posts/${postId}/labels`, 'agent', {
      sentiment: 'negative',
      intent: 'Technical',
    });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ sentiment: 'negative', intent: 'technical' });
    const examples = await t.ctx.db
      .select()
      .from(trainingExamples)
      .where(eq(trainingExamples.postId, postId));
    expect(examples.map((e) => [e.task, e.label, e.source]).sort()).toEqual([
      ['intent', 'technical', 'correction'],
      ['sentiment', 'negative', 'correction'],
    ]);
    const again = await call('POST', `/api/v1/posts/${postId}/labels`, 'agent', { sentiment: 'neutral' });
    expect(again.statusCode).toBe(200);
    const after = await t.ctx.db.select().from(trainingExamples).where(eq(trainingExamples.postId, postId));
    expect(after.find((e) => e.task === 'sentiment')!.label).toBe('neutral');
    expect(
      (
        await call('POST', '/api/v1/posts/00000000-0000-4000-8000-000000000000/labels', 'agent', {
          actionable: true,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('a manager retrains from the examples; the new model is compared on held-out examples before switching', async () => {
    for (const [label, texts] of [
      ['negative', negative],
      ['positive', positive],
      ['neutral', neutral],
    ] as const) {
      for (const text of texts) {
        for (const variant of [text, `@isp ${text}`, `${text}!`]) {
          await recordTrainingExample(t.ctx.db, {
            task: 'sentiment',
            text: variant,
            label,
            source: 'import',
          });
        }
      }
    }
    expect((await call('POST', '/api/v1/models/retrain', 'agent', { task: 'sentiment' })).statusCode).toBe(
      403,
    );
    const res = await call('POST', '/api/v1/models/retrain', 'manager', { task: 'sentiment', name: 'isp-1' });
    expect(res.statusCode).toBe(200);
    const first = res.json();
    expect(first.current.name).toBe('built-in');
    expect(first.heldOut).toBeGreaterThan(5);
    expect(first.candidate.macroF1).toBeGreaterThanOrEqual(first.current.macroF1);
    expect(first.activated).toBe(true);
    expect(first.model).toMatchObject({ name: 'isp-1', task: 'sentiment', active: true });
    expect(
      t.ctx.enricher.enrich('router dead again', { channel: 'sandbox', toBrand: true }).signals
        .sentimentSource,
    ).toBe('model:isp-1');

    const second = (
      await call('POST', '/api/v1/models/retrain', 'manager', {
        task: 'sentiment',
        name: 'isp-2',
        activate: 'never',
      })
    ).json();
    expect(second.current.name).toBe('isp-1');
    expect(second.activated).toBe(false);

    const list = await call('GET', '/api/v1/models?task=sentiment', 'manager');
    expect(list.json().items.map((m: { name: string; active: boolean }) => [m.name, m.active])).toEqual([
      ['isp-2', false],
      ['isp-1', true],
    ]);
    expect(list.json().examples.sentiment).toMatchObject({ negative: 18, positive: 18, neutral: 19 });
    expect(list.json().items[0].weights).toBeUndefined();
    expect((await call('GET', '/api/v1/models', 'agent')).statusCode).toBe(403);

    // Only an admin chooses the active model; the pipeline switches at once.
    expect((await call('POST', `/api/v1/models/${second.model.id}/activate`, 'manager')).statusCode).toBe(
      403,
    );
    const activated = await call('POST', `/api/v1/models/${second.model.id}/activate`, 'admin');
    expect(activated.statusCode).toBe(200);
    const now = (await call('GET', '/api/v1/models?task=sentiment', 'manager')).json().items;
    expect(now.filter((m: { active: boolean }) => m.active).map((m: { name: string }) => m.name)).toEqual([
      'isp-2',
    ]);
    expect(
      t.ctx.enricher.enrich('router dead again', { channel: 'sandbox', toBrand: true }).signals
        .sentimentSource,
    ).toBe('model:isp-2');
    expect((await call('POST', '/api/v1/models/deactivate', 'admin', { task: 'sentiment' })).statusCode).toBe(
      200,
    );
    expect(
      t.ctx.enricher.enrich('router dead again', { channel: 'sandbox', toBrand: true }).signals
        .sentimentSource,
    ).toBe('lexicon');
  });

  it('classifies a text on demand; the language model is off by default', async () => {
    const res = await call('POST', '/api/v1/triage/classify', 'agent', {
      text: '@brand my internet is down again',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ provider: 'builtin', intent: 'outage', actionable: true });
    const llm = await call('POST', '/api/v1/triage/classify', 'agent', { text: 'hi', provider: 'llm' });
    expect(llm.statusCode).toBe(409);
    expect(llm.json().error.code).toBe('llm_disabled');
    const draft = await call('POST', '/api/v1/triage/draft-reply', 'agent', { text: 'hi' });
    expect(draft.statusCode).toBe(409);
    expect((await call('POST', '/api/v1/triage/draft-reply', 'viewer', { text: 'hi' })).statusCode).toBe(403);
  });

  it('refuses to retrain without enough examples', async () => {
    const res = await call('POST', '/api/v1/models/retrain', 'manager', { task: 'actionable' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('not_enough_examples');
  });

  it('learns from the team: a sent reply and a dismissal become actionable examples', async () => {
    // The worker (started by the test app) subscribes the triage learning to the bus.
    const res = await call('POST', '/api/v1/posts', 'admin', {
      posts: [post('@brand my bill is wrong again, please help'), post('@brand lol nice ad')],
    });
    const [replied, dismissed] = res.json().results.map((r: { postId: string }) => r.postId) as string[];
    await t.idle();
    const [row] = await t.ctx.db.select({ caseId: posts.caseId }).from(posts).where(eq(posts.id, replied!));
    expect(row!.caseId).toBeTruthy();
    await t.ctx.bus.publish('reply.sent', {
      caseId: row!.caseId,
      outboxId: null,
      sentAt: new Date().toISOString(),
    });
    await t.idle();
    expect(await learnFromDismissal(t.ctx.db, dismissed!)).toBe(true);
    const examples = await t.ctx.db
      .select()
      .from(trainingExamples)
      .where(eq(trainingExamples.task, 'actionable'));
    const byPost = Object.fromEntries(examples.map((e) => [e.postId, [e.label, e.source]]));
    expect(byPost[replied!]).toEqual(['true', 'replied']);
    expect(byPost[dismissed!]).toEqual(['false', 'dismissed']);
  });
});
