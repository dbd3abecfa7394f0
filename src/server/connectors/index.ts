import { registerSandboxSender } from './sandbox/sandbox-sender.ts';

/** Registers every connector's sender (and, later, readers) with the registry. */
export function registerConnectors(): void {
  registerSandboxSender();
}
