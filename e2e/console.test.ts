import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.ts';
import { brandPost, type E2eServer, PASSWORD, startServer } from './support/start-server.ts';

type Case = {
  id: string;
  preview: string;
  status: string;
  assignee: { id: string } | null;
  priority: { serviceRecovery: boolean };
};
type Outbox = { items: { caseId: string; mode: string; text: string; sentAt: string }[] };

/** The care team's day in the real console: sign in, triage a live inbox, answer, assign, resolve. */
describe('agent console in a real browser', () => {
  let s: E2eServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let agent: { email: string; token: string; userId: string };
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

  beforeAll(async () => {
    [s, browser] = await Promise.all([startServer(), launchBrowser()]);
    agent = await s.user('agent', 'ada.agent@test.example');
    // The company's customer record for the author of the missed-appointment post.
    const manager = await s.user('manager', 'mo.manager@test.example');
    const upsert = await s.api(manager.token, 'PUT', '/customer-accounts', {
      accounts: [
        {
          accountNumber: 'NW-777001',
          name: 'Grace Hopper',
          plan: 'Internet 300',
          knownHandles: [{ channel: 'sandbox', handle: 'gracehopper' }],
        },
      ],
    });
    expect(upsert.status).toBe(200);
    await s.ingest(agent.token, [
      brandPost('@northwindcares my modem keeps rebooting every hour', { createdAt: minutesAgo(30) }),
      brandPost('@northwindcares why is my bill $40 higher this month?', { createdAt: minutesAgo(20) }),
      brandPost('@northwindcares the technician never showed up today', {
        createdAt: minutesAgo(10),
        author: { externalId: 'grace-1', handle: 'gracehopper' },
      }),
    ]);
    // The company made an error on the most recent one: service recovery puts it first.
    const missed = (await cases()).find((c) => c.preview.includes('technician'))!.id;
    const flagged = await s.api(agent.token, 'POST', `/cases/${missed}/service-recovery`, {
      on: true,
      reason: 'missed appointment',
    });
    expect(flagged.status).toBe(200);
    ({ page, errors } = await newPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const inbox = () => page.getByRole('list', { name: 'Inbox' });
  const cases = async () => (await s.api<{ items: Case[] }>(agent.token, 'GET', '/cases')).body.items;

  it('signs in and shows the inbox in priority order, with the reasons', async () => {
    await signIn(page, s.url, agent.email, 'wrong password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Wrong e-mail or password');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await inbox().getByRole('listitem').first().waitFor();
    const expected = (await cases()).map((c) => c.preview);
    expect(expected[0]).toContain('technician never showed up');
    const shown = await inbox()
      .getByRole('listitem')
      .evaluateAll((els) =>
        els
          .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
          .map((e) => e.textContent ?? ''),
      );
    expect(shown).toHaveLength(expected.length);
    for (const [i, preview] of expected.entries()) expect(shown[i]).toContain(preview);
    expect(shown[0]).toContain('Service recovery');
    await expect
      .poll(() => page.getByRole('complementary', { name: 'Selected case' }).textContent())
      .toContain('the company made an error');
    await screenshot(page, 'inbox');
  });

  it('shows a post ingested while the inbox is open without reloading', async () => {
    await page.evaluate(() => {
      (window as unknown as { __stillHere: boolean }).__stillHere = true;
    });
    await s.ingest(agent.token, [brandPost('@northwindcares internet down in Oakdale since noon')]);
    await inbox()
      .getByRole('listitem')
      .filter({ hasText: 'internet down in Oakdale since noon' })
      .waitFor({ timeout: 5000 });
    expect(await page.evaluate(() => (window as unknown as { __stillHere?: boolean }).__stillHere)).toBe(
      true,
    );
  });

  it('moves with j/k, opens with Enter, searches with /, and lists the shortcuts with ?', async () => {
    await page.keyboard.press('j');
    const current = () => inbox().locator('[aria-current="true"]').textContent();
    await expect.poll(current).toContain('technician never showed up');
    await page.keyboard.press('j');
    await expect.poll(current).not.toContain('technician never showed up');
    await page.keyboard.press('k');
    await expect.poll(current).toContain('technician never showed up');

    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    expect(await help.textContent()).toContain('Next / previous case');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
    await page.keyboard.type('modem');
    await expect.poll(() => inbox().getByRole('listitem').count()).toBe(1);
    expect(page.url()).toContain('q=modem');
    await page.keyboard.press('Escape');
    await page.getByRole('searchbox', { name: 'Search cases' }).fill('');
    await page.keyboard.press('Escape');
    await expect.poll(() => inbox().getByRole('listitem').count()).toBe(4);

    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Reply' }).waitFor();
    expect(page.url()).toMatch(/\/cases\/[0-9a-f-]{36}$/);
  });

  it('replies publicly, and the sandbox channel sends it', async () => {
    const caseId = page.url().split('/').pop()!;
    await page.keyboard.press('r');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.getByRole('radio', { name: 'Public' }).check();
    await page.getByRole('textbox', { name: 'Reply' }).fill('Sorry about the missed visit. We are on it.');
    await expect
      .poll(() =>
        page
          .getByText(/\d+ characters/)
          .first()
          .textContent(),
      )
      .toContain('43 characters');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'Sorry about the missed visit' })
      .getByText('Sent')
      .waitFor({ timeout: 8000 });
    const outbox = (await s.api<Outbox>(agent.token, 'GET', '/channels/sandbox/outbox')).body;
    expect(outbox.items).toContainEqual(
      expect.objectContaining({
        caseId,
        mode: 'public',
        text: 'Sorry about the missed visit. We are on it.',
      }),
    );
    await screenshot(page, 'case');
  });

  it('shows the linked account, and warns about personal data before a public reply', async () => {
    await page.keyboard.press('u');
    await inbox()
      .getByRole('listitem')
      .filter({ hasText: 'technician never showed up' })
      .getByRole('link')
      .click();
    const customer = page.getByRole('complementary', { name: 'Customer' });
    await customer.getByText('Grace Hopper').waitFor();
    expect(await customer.textContent()).toContain('NW-777001');
    expect(await customer.textContent()).toContain('From the customer import');

    await page.getByRole('radio', { name: 'Public' }).check();
    await page
      .getByRole('textbox', { name: 'Reply' })
      .fill('Hi Grace, I credited account NW-777001 for the missed visit.');
    const warning = page.getByRole('alert').filter({ hasText: 'personal data' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain('account_number');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);
    await warning.getByRole('button', { name: 'Send it privately instead' }).click();
    expect(await page.getByRole('radio', { name: 'Private' }).isChecked()).toBe(true);
    await page.getByRole('textbox', { name: 'Reply' }).fill('');
  });

  it('moves the conversation to private: a short public note plus the private message', async () => {
    const caseId = page.url().split('/').pop()!;
    const reply = page.getByRole('textbox', { name: 'Reply' });
    await page.getByRole('radio', { name: 'Private' }).check();
    expect(await page.getByRole('checkbox', { name: /move to private/ }).isChecked()).toBe(true);
    await reply.fill('Please send us your account number in this private chat so we can rebook the visit.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page
      .getByRole('listitem')
      .filter({ hasText: 'rebook the visit' })
      .getByText('Private message')
      .waitFor();
    const modes = async () =>
      (await s.api<Outbox>(agent.token, 'GET', '/channels/sandbox/outbox')).body.items
        .filter((i) => i.caseId === caseId)
        .map((i) => i.mode)
        .sort();
    await expect.poll(modes).toEqual(['private', 'public']);
  });

  it('assigns and resolves with the buttons', async () => {
    const caseId = page.url().split('/').pop()!;
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: /Assign case/ });
    await dialog.getByRole('button', { name: 'Assign to me' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect
      .poll(async () => (await s.api<Case>(agent.token, 'GET', `/cases/${caseId}`)).body.assignee?.id)
      .toBe(agent.userId);
    await page
      .getByText(/Assigned to /)
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Resolve' }).click();
    await expect
      .poll(async () => (await s.api<Case>(agent.token, 'GET', `/cases/${caseId}`)).body.status)
      .toBe('resolved');
    await page.getByRole('button', { name: 'Reopen' }).waitFor();
  });

  it('assigns with a and resolves with e from the keyboard', async () => {
    await page.keyboard.press('u');
    await inbox().waitFor();
    const before = await cases();
    const target = before.find((c) => c.assignee?.id !== agent.userId)!;
    await inbox().getByRole('listitem').filter({ hasText: target.preview }).getByRole('link').focus();
    await page.keyboard.press('a');
    await expect
      .poll(async () => (await s.api<Case>(agent.token, 'GET', `/cases/${target.id}`)).body.assignee?.id)
      .toBe(agent.userId);
    await page.keyboard.press('e');
    await expect
      .poll(async () => (await s.api<Case>(agent.token, 'GET', `/cases/${target.id}`)).body.status)
      .toBe('resolved');
    await inbox().getByRole('listitem').filter({ hasText: target.preview }).waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
  });
});
