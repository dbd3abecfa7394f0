// Public face of the listening module. `createListener` is called by src/server/runtime.ts and
// must return the in-memory topic matcher used by the pipeline's listen stage (see Listener in
// src/server/context.ts). INTERIM (lead): matches nothing until the matcher lands here.
import type { Listener } from '../../context.ts';
import type { Db } from '../../platform/db/client.ts';

export async function createListener(_db: Db): Promise<Listener> {
  return { match: () => [], reload: async () => {} };
}
