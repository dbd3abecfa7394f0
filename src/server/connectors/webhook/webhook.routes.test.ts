import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../testing/test-app.ts';
import { drivers } from '../../testing/test-db.ts';
import { channelRow, createChannel, postsOf, setUpBrand } from '../testing/connector-test-kit.ts';
import { signWebhook } from './verify-signature.ts';

const SECRET = 'whsec_test_0123456789';

describe.each(drivers)('signed webhook channel on %s', (driver) => {
  let t: TestApp;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp(driver);
    const auth = await setUpBrand(t);
    channelId = await createChannel(t, auth, {
      type: 'webhook',
      name: 'Reviews',
      config: { toleranceSeconds: 300 },
      secrets: { signingSecret: SECRET },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const body = (externalId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      posts: [
        {
          externalId,
          author: { externalId: 'rev-1', handle: 'reviewer' },
          text: '@northwindcares the router you sent is dead on arrival',
          createdAt: '2024-05-01T10:00:00Z',
          ...extra,
        },
      ],
    });
  const send = (payload: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${channelId}/webhook`,
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });
  const signed = (payload: string, ts = Math.floor(Date.now() / 1000)) => ({
    'x-earshot-timestamp': String(ts),
    'x-earshot-signature': signWebhook(SECRET, ts, payload),
  });

  it('accepts a correctly signed delivery and stores its posts; a replay within the window is a duplicate', async () => {
    const payload = body('wh-1');
    const headers = signed(payload);
    const res = await send(payload, headers);
    expect(res.statusCode).toBe(200);
    expect(res.json().results[0]).toMatchObject({ externalId: 'wh-1', outcome: 'stored' });
    const again = await send(payload, headers);
    expect(again.json().results[0].outcome).toBe('duplicate');
    const stored = await postsOf(t, 'webhook');
    expect(stored.map((p) => p.externalId)).toEqual(['wh-1']);
    expect(stored[0]!.channelId).toBe(channelId);
    const health = (await channelRow(t, channelId)).health as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', received: 1, duplicates: 1 });
  });

  it('refuses a bad signature, a tampered body, an old timestamp and missing headers with 401', async () => {
    const payload = body('wh-2');
    const bad = await send(payload, {
      ...signed(payload),
      'x-earshot-signature': `sha256=${'0'.repeat(64)}`,
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.message).toMatch(/signature does not match/);

    const tampered = await send(body('wh-2', { text: 'changed' }), signed(payload));
    expect(tampered.statusCode).toBe(401);

    const old = Math.floor(Date.now() / 1000) - 3600;
    const stale = await send(payload, signed(payload, old));
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toMatch(/replay refused/);

    const missing = await send(payload, {});
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('unauthorized');
    expect((await postsOf(t, 'webhook')).some((p) => p.externalId === 'wh-2')).toBe(false);
  });

  it('answers 400 naming the field for a signed but invalid body, and 404 for an unknown channel', async () => {
    const invalid = body('wh-3', { createdAt: 'yesterday' });
    const res = await send(invalid, signed(invalid));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/posts\.0\.createdAt/);

    const notJson = '{"posts": [';
    const res2 = await send(notJson, signed(notJson));
    expect(res2.statusCode).toBe(400);
    expect(res2.json().error.code).toBe('invalid_json');

    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/channels/00000000-0000-4000-8000-000000000000/webhook',
      headers: { 'content-type': 'application/json', ...signed(body('x')) },
      payload: body('x'),
    });
    expect(unknown.statusCode).toBe(404);
  });
});
