import { AppError } from '../../platform/errors.ts';
import { findPii, redactPii } from './detect-pii.ts';

/**
 * Optional OpenAI-compatible chat endpoint (OpenAI, a local llama.cpp/vLLM/Ollama server, …),
 * off unless `OPENAI_BASE_URL` is set. Earshot is fully useful without it: it only drafts replies
 * and offers a second opinion on a classification. Customer PII is redacted before anything leaves
 * the process, and a draft never carries PII back.
 */
export type LlmConfig = {
  /** e.g. `http://127.0.0.1:8080/v1`; `/chat/completions` is appended. */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
};

export type DraftInput = {
  /** The customer's post or message. */
  post: string;
  brand?: string;
  /** Earlier messages of the conversation, oldest first. */
  history?: string[];
  /** Extra instructions from the team: tone, policy, a template to follow. */
  instructions?: string;
};

export type LlmProvider = {
  readonly model: string;
  /** A reply draft for an agent to edit, with any PII replaced by placeholders. */
  draftReply(input: DraftInput): Promise<{ text: string; redacted: number }>;
  /** Picks one of `labels` for the text (an alternative classifier); `null` if the answer was none of them. */
  classify(
    text: string,
    task: string,
    labels: readonly string[],
  ): Promise<{ label: string | null; answer: string }>;
};

type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

const providerError = (message: string) => new AppError('llm_error', message, 502);

/** The provider for the configuration, or `null` when no endpoint is configured. */
export function createLlmProvider(config: Partial<LlmConfig> | undefined): LlmProvider | null {
  if (!config?.baseUrl) return null;
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const model = config.model ?? 'gpt-4o-mini';
  const timeoutMs = config.timeoutMs ?? 20_000;

  async function chat(messages: ChatMessage[], maxTokens: number): Promise<string> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(config?.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
        },
        body: JSON.stringify({ model, messages, temperature: 0, max_tokens: maxTokens }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw providerError(`The language model endpoint ${url} did not answer: ${(err as Error).message}`);
    }
    const body = (await res.json().catch(() => null)) as {
      choices?: { message?: { content?: string } }[];
      error?: { message?: string };
    } | null;
    if (!res.ok) {
      throw providerError(
        `The language model endpoint answered ${res.status}: ${body?.error?.message ?? res.statusText}`,
      );
    }
    const content = body?.choices?.[0]?.message?.content;
    if (typeof content !== 'string')
      throw providerError('The language model endpoint sent no message content');
    return content.trim();
  }

  return {
    model,
    async draftReply(input) {
      const system =
        `You are a customer care agent${input.brand ? ` for ${input.brand}` : ''} answering on social media. ` +
        'Write one short, friendly, specific reply (at most 280 characters). Never include personal data ' +
        '(e-mail addresses, phone numbers, account or card numbers, addresses); if you need them, ask the ' +
        'customer to send a private message.' +
        (input.instructions ? `\n${input.instructions}` : '');
      const history = (input.history ?? []).map((h) => ({ role: 'user' as const, content: redactPii(h) }));
      const draft = await chat(
        [{ role: 'system', content: system }, ...history, { role: 'user', content: redactPii(input.post) }],
        200,
      );
      const spans = findPii(draft);
      return { text: redactPii(draft, spans), redacted: spans.length };
    },
    async classify(text, task, labels) {
      const answer = await chat(
        [
          {
            role: 'system',
            content: `Classify the ${task} of a customer's social media post. Answer with exactly one word from: ${labels.join(', ')}.`,
          },
          { role: 'user', content: redactPii(text) },
        ],
        10,
      );
      const lower = answer.toLowerCase();
      const exact = labels.find((l) => lower.replace(/[^a-z0-9_ -]/g, '').trim() === l.toLowerCase());
      const label = exact ?? labels.find((l) => new RegExp(`\\b${l.toLowerCase()}\\b`).test(lower)) ?? null;
      return { label, answer };
    },
  };
}
