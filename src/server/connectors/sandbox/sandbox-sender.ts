import { randomUUID } from 'node:crypto';
import { registerSender } from '../registry.ts';

/**
 * The sandbox channel is local: "sending" records the message as sent (the outbox row keeps
 * what, where and when), which is what demos and tests read back from
 * `GET /api/v1/channels/sandbox/outbox`.
 */
export function registerSandboxSender(): void {
  registerSender('sandbox', async () => ({ externalId: `sandbox-${randomUUID()}` }));
}
