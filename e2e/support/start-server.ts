import type { NormalisedPostInput } from '../../src/common/post.schema.ts';
import type { Role } from '../../src/server/modules/users/users.schema.ts';
import { createTestApp, type TestApp } from '../../src/server/testing/test-app.ts';

export const PASSWORD = 'correct horse battery';

export type E2eServer = {
  t: TestApp;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** Creates a user who can sign in with `PASSWORD`; returns a bearer token for API calls too. */
  user: (role: Role, email: string) => Promise<{ email: string; token: string; userId: string }>;
  /** Calls the API with a bearer token. */
  api: <T = unknown>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ) => Promise<{ status: number; body: T }>;
  /** Ingests posts through `POST /api/v1/posts` and waits until the pipeline has processed them. */
  ingest: (
    token: string,
    posts: NormalisedPostInput[],
  ) => Promise<{ externalId: string; outcome: string; caseId?: string }[]>;
  close: () => Promise<void>;
};

let seq = 0;

/** A normalised sandbox post addressed to the brand (`@northwindcares`). */
export function brandPost(text: string, over: Partial<NormalisedPostInput> = {}): NormalisedPostInput {
  seq++;
  return {
    channel: 'sandbox',
    externalId: `e2e-${Date.now()}-${seq}`,
    author: { externalId: `author-${seq}`, handle: `customer${seq}` },
    text,
    createdAt: new Date().toISOString(),
    direction: 'inbound',
    toBrand: true,
    ...over,
  };
}

/**
 * A real Earshot server (worker and scheduler in process) over a fresh PGlite database,
 * listening on a random port, serving the built console from dist/web.
 */
export async function startServer(): Promise<E2eServer> {
  const t = await createTestApp('pglite');
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('server did not bind a TCP port');
  const url = `http://127.0.0.1:${addr.port}`;
  const api: E2eServer['api'] = async (token, method, path, body) => {
    const res = await t.app.inject({
      method: method as 'GET',
      url: `/api/v1${path}`,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: res.statusCode, body: (res.body ? res.json() : null) as never };
  };
  const brandToken = (await t.tokenFor('admin', 'e2e-setup@test.example')).token;
  const brand = await api(brandToken, 'PUT', '/settings/brand', {
    name: 'Northwind',
    handles: ['northwindcares'],
    emails: ['care@northwind.example'],
    domains: [],
  });
  if (brand.status !== 200) throw new Error(`brand settings refused: ${JSON.stringify(brand.body)}`);
  return {
    t,
    url,
    api,
    user: async (role, email) => {
      const u = await t.tokenFor(role, email);
      return { email: u.email, token: u.token, userId: u.userId };
    },
    ingest: async (token, posts) => {
      const res = await api<{ results: { externalId: string; outcome: string; caseId?: string }[] }>(
        token,
        'POST',
        '/posts',
        { posts },
      );
      if (res.status !== 200) throw new Error(`ingest refused: ${JSON.stringify(res.body)}`);
      await t.idle();
      return res.body.results;
    },
    close: () => t.close(),
  };
}
