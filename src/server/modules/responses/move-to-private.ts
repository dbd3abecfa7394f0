import type { AppContext } from '../../context.ts';
import type { Actor } from '../../platform/audit.ts';
import { queueReply } from './queue-reply.ts';

export const DEFAULT_MOVE_PRIVATE_TEXT =
  "We've sent you a private message so we can look into your account safely.";

/**
 * "Move to private": a short public reply that says where the conversation continues, plus the
 * private message itself, on the same case thread. Both go through the outbox under keys derived
 * from one idempotency key, so a retried request sends neither twice.
 */
export async function moveToPrivate(
  ctx: AppContext,
  caseId: string,
  input: {
    text: string;
    publicText?: string | undefined;
    idempotencyKey?: string | undefined;
    baseVersion?: number | undefined;
  },
  actor: Actor,
) {
  const key = input.idempotencyKey;
  const priv = await queueReply(
    ctx,
    caseId,
    {
      mode: 'private',
      text: input.text,
      idempotencyKey: key ? `${key}:private` : undefined,
      baseVersion: input.baseVersion,
    },
    actor,
  );
  const pub = await queueReply(
    ctx,
    caseId,
    {
      mode: 'public',
      text: input.publicText ?? DEFAULT_MOVE_PRIVATE_TEXT,
      idempotencyKey: key ? `${key}:public` : undefined,
    },
    actor,
  );
  return { public: pub, private: priv };
}
