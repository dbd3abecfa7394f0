import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { brandPost, type E2eServer, PASSWORD, startServer } from './support/start-server.ts';

type Handovers = { handedOver: { id: string; status: string; preview: string }[] };

/** Beyond the care team: other support areas read, any employee hands over, managers tune listening. */
describe('the console for the whole organisation, in a real browser', () => {
  let s: E2eServer;
  let browser: Browser;
  let agent: { email: string; token: string; userId: string };

  beforeAll(async () => {
    [s, browser] = await Promise.all([startServer(), launchBrowser()]);
    agent = await s.user('agent', 'olu.agent@test.example');
    await s.ingest(agent.token, [
      brandPost('@northwindcares my router lights are blinking orange'),
      brandPost('Lovely recipe! Questions? write to jane@northwind.example', { toBrand: false }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('a viewer reads a case but cannot reply, and is told why', async () => {
    const viewer = await s.user('viewer', 'vic.viewer@test.example');
    const { page, errors } = await newPage(browser);
    await signIn(page, s.url, viewer.email, PASSWORD);
    const item = page
      .getByRole('list', { name: 'Inbox' })
      .getByRole('listitem')
      .filter({ hasText: 'router lights are blinking' });
    await item.getByRole('link').click();
    await page.getByText('my router lights are blinking orange').first().waitFor();
    await page.getByText(/read-only access \(viewer\)/).waitFor();
    expect(await page.getByRole('textbox', { name: 'Reply' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await screenshot(page, 'case-viewer');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a contributor hands over a customer message and follows its status', async () => {
    const sam = await s.user('contributor', 'sam.fieldops@test.example');
    const { page, errors } = await newPage(browser);
    await signIn(page, s.url, sam.email, PASSWORD, '/');
    await page.getByRole('heading', { name: 'My items' }).waitFor();
    await page
      .getByLabel('Or the text')
      .fill('A customer at the Elm St install says her modem was never delivered');
    await page.getByRole('button', { name: 'Hand over' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Handed over as case #\d+/ })
      .waitFor();
    const mine = page.getByRole('list', { name: 'My hand-overs' });
    await mine
      .getByRole('listitem')
      .filter({ hasText: 'modem was never delivered' })
      .getByText('Waiting for the care team')
      .waitFor();

    // The care team resolves it; the contributor sees it without reloading.
    const handed = (await s.api<Handovers>(sam.token, 'GET', '/handovers')).body.handedOver[0]!;
    const resolved = await s.api(agent.token, 'POST', `/cases/${handed.id}/status`, { status: 'resolved' });
    expect(resolved.status).toBe(200);
    await mine
      .getByRole('listitem')
      .filter({ hasText: 'modem was never delivered' })
      .getByText('Resolved', { exact: true })
      .first()
      .waitFor();
    await screenshot(page, 'handover');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a manager sees a topic query error at its position, and a valid query previews matches with highlights', async () => {
    const lena = await s.user('manager', 'lena.manager@test.example');
    const { page, errors } = await newPage(browser);
    await signIn(page, s.url, lena.email, PASSWORD, '/listening?topic=new');
    const query = page.getByRole('textbox', { name: 'Query', exact: true });
    await query.fill('router AND (blinking OR');
    const error = page.getByRole('alert', { name: 'Query error' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(/position 23/);
    expect(await error.textContent()).toContain('column 24');
    expect(await query.getAttribute('aria-invalid')).toBe('true');

    await query.fill('router AND (blinking OR orange)');
    await error.waitFor({ state: 'detached' });
    const matches = page.getByRole('list', { name: 'Matching posts' });
    const hit = matches.getByRole('listitem').filter({ hasText: 'router lights are blinking orange' });
    await hit.waitFor();
    expect(await hit.locator('mark').allTextContents()).toEqual(
      expect.arrayContaining(['router', 'blinking']),
    );

    await page.getByLabel('Name').fill('Router trouble');
    await page.getByRole('button', { name: 'Create topic' }).click();
    await page
      .getByRole('navigation', { name: 'Topics' })
      .getByRole('link', { name: /Router trouble/ })
      .waitFor();
    await screenshot(page, 'listening');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
