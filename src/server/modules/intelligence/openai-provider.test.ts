import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.ts';
import { createLlmProvider } from './openai-provider.ts';

type Request = {
  path: string;
  auth: string | undefined;
  body: { model: string; messages: { role: string; content: string }[] };
};

/** A local fake of the OpenAI chat-completions API: records requests, answers from a script. */
function startFakeOpenAi(answer: (req: Request) => { status?: number; content?: string; error?: string }) {
  const requests: Request[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const r: Request = { path: req.url ?? '', auth: req.headers.authorization, body: JSON.parse(raw) };
      requests.push(r);
      const a = answer(r);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          a.error
            ? { error: { message: a.error } }
            : {
                id: 'chatcmpl-1',
                object: 'chat.completion',
                choices: [{ index: 0, message: { role: 'assistant', content: a.content } }],
              },
        ),
      );
    });
  });
  return {
    requests,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`),
        ),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('OpenAI-compatible provider against a local fake server', () => {
  const fake = startFakeOpenAi((r) => {
    const system = r.body.messages[0]!.content;
    if (r.auth !== 'Bearer sk-test') return { status: 401, error: 'bad key' };
    if (system.startsWith('Classify the sentiment')) return { content: 'Negative.' };
    if (system.startsWith('Classify the intent')) return { content: 'I think this is about billing' };
    return { content: 'Sorry about that! Please DM us, or call Jane at 555-123-4567.' };
  });
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await fake.start();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('is off unless an endpoint is configured', () => {
    expect(createLlmProvider(undefined)).toBeNull();
    expect(createLlmProvider({ model: 'x' })).toBeNull();
  });

  it('drafts a reply without sending the customer’s PII or returning any', async () => {
    const llm = createLlmProvider({ baseUrl, apiKey: 'sk-test', model: 'local-model' })!;
    const draft = await llm.draftReply({
      post: 'charged twice! my email is jane@example.com',
      history: ['my card 4111 1111 1111 1111 was billed'],
      brand: 'Acme',
    });
    expect(draft).toEqual({ text: 'Sorry about that! Please DM us, or call Jane at [phone].', redacted: 1 });
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.body.model).toBe('local-model');
    expect(JSON.stringify(sent.body)).not.toContain('jane@example.com');
    expect(JSON.stringify(sent.body)).not.toContain('4111');
    expect(sent.body.messages.at(-1)!.content).toBe('charged twice! my email is [email]');
    expect(sent.body.messages[0]!.content).toContain('for Acme');
  });

  it('classifies as an alternative model, mapping the answer onto the allowed labels', async () => {
    const llm = createLlmProvider({ baseUrl, apiKey: 'sk-test', model: 'local-model' })!;
    expect(await llm.classify('worst airline', 'sentiment', ['negative', 'neutral', 'positive'])).toEqual({
      label: 'negative',
      answer: 'Negative.',
    });
    expect((await llm.classify('bill wrong', 'intent', ['outage', 'billing', 'other'])).label).toBe(
      'billing',
    );
  });

  it('turns endpoint failures into a 502 error that says what happened', async () => {
    const wrongKey = createLlmProvider({ baseUrl, apiKey: 'nope', model: 'm' })!;
    const err = await wrongKey.classify('x', 'sentiment', ['negative']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'llm_error', status: 502 });
    expect((err as Error).message).toMatch(/answered 401: bad key/);
    const down = createLlmProvider({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2000 })!;
    await expect(down.draftReply({ post: 'hi' })).rejects.toMatchObject({ code: 'llm_error' });
  });
});
