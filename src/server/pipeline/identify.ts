import type { AppContext } from '../context.ts';
import { resolvePerson } from '../modules/people/resolve-person.ts';

/** Stage 5: the person behind the author's identity, and their linked customer accounts. */
export function identify(ctx: AppContext, identityId: string): Promise<string> {
  return resolvePerson(ctx.db, identityId);
}
