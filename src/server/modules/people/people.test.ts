import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../platform/db/platform.schema.ts';
import { UsageError } from '../../platform/errors.ts';
import { type Caller, type Care, createCareApp } from '../../testing/care-fixtures.ts';
import { drivers } from '../../testing/test-db.ts';
import { importCustomers } from './import-customers.ts';
import { customerAccounts } from './people.schema.ts';

const csv = (content: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'earshot-customers-')), 'customers.csv');
  writeFileSync(file, content);
  return file;
};

describe.each(drivers)('people and customer accounts on %s', (driver) => {
  let t: Care;
  let agent: Caller;
  let manager: Caller;

  beforeAll(async () => {
    t = await createCareApp(driver);
    agent = await t.as('agent');
    manager = await t.as('manager');
    await manager.call('PUT', '/api/v1/customer-accounts', {
      accounts: [
        { accountNumber: 'NW-1001', name: 'Jane Roe', email: 'jane.roe@example.org', plan: 'fibre-500' },
        { accountNumber: 'NW-1002', name: 'Jim Roe', plan: 'tv' },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const personOf = async (handle: string) => {
    const [p] = await t.ingest({
      text: '@northwindcares my internet is down again, please help',
      author: { externalId: `ext-${handle}`, handle },
    });
    const caseId = await t.caseOf(p!.externalId);
    return { caseId, personId: (await agent.call('GET', `/api/v1/cases/${caseId}`)).body.personId as string };
  };

  it('links and unlinks an account by an agent with method and reason; both are in the audit log', async () => {
    const { personId } = await personOf('janeroe');
    const noReason = await agent.call('POST', `/api/v1/people/${personId}/links`, {
      accountNumber: 'NW-1002',
      method: 'agent',
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/reason/);
    const link = await agent.call('POST', `/api/v1/people/${personId}/links`, {
      accountNumber: 'NW-1002',
      method: 'agent',
      reason: 'customer gave the account PIN on the phone',
    });
    expect(link.status).toBe(201);
    expect(
      (
        await agent.call('POST', `/api/v1/people/${personId}/links`, {
          accountNumber: 'NW-1002',
          method: 'agent',
          reason: 'again',
        })
      ).status,
    ).toBe(409);
    const person = (await agent.call('GET', `/api/v1/people/${personId}`)).body;
    expect(person.accounts).toEqual([
      expect.objectContaining({
        method: 'agent',
        reason: 'customer gave the account PIN on the phone',
        account: expect.objectContaining({ accountNumber: 'NW-1002' }),
      }),
    ]);
    const removed = await agent.call(
      'DELETE',
      `/api/v1/people/${personId}/links/${link.body.link.id}?reason=wrong%20household%20member`,
    );
    expect(removed.status).toBe(200);
    expect((await agent.call('GET', `/api/v1/people/${personId}`)).body.accounts).toEqual([]);
    const entries = await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, link.body.link.id));
    expect(entries.map((e) => [e.action, e.actorUserId])).toEqual(
      expect.arrayContaining([
        ['link.created', agent.userId],
        ['link.removed', agent.userId],
      ]),
    );
    expect(entries.find((e) => e.action === 'link.created')!.data).toMatchObject({
      method: 'agent',
      reason: 'customer gave the account PIN on the phone',
      accountNumber: 'NW-1002',
    });
    expect(entries.find((e) => e.action === 'link.removed')!.data).toMatchObject({
      reason: 'wrong household member',
    });
    const viewer = await t.as('viewer');
    expect((await viewer.call('GET', `/api/v1/people/${personId}/timeline`)).status).toBe(200);
    expect(
      (
        await viewer.call('POST', `/api/v1/people/${personId}/links`, {
          accountNumber: 'NW-1002',
          method: 'agent',
          reason: 'x',
        })
      ).status,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/people/${personId}` })).statusCode).toBe(401);
  });

  it('verified link: a one-time code goes privately to the e-mail on the account; the right code stores the link with evidence', async () => {
    const { personId, caseId } = await personOf('jroe_verify');
    const start = await agent.call('POST', `/api/v1/people/${personId}/verifications`, {
      accountNumber: 'NW-1001',
      caseId,
    });
    expect(start.status).toBe(202);
    expect(start.body).toMatchObject({ via: 'email', destination: 'j***@example.org' });
    await t.deliver();
    const sent = (await agent.call('GET', '/api/v1/channels/sandbox/outbox')).body.items.find(
      (o: { caseId: string; mode: string }) => o.caseId === caseId && o.mode === 'email',
    );
    expect(sent.target.email).toBe('jane.roe@example.org');
    const code = /code (\d{6})/.exec(sent.text)![1]!;
    const wrong = await agent.call(
      'POST',
      `/api/v1/people/${personId}/verifications/${start.body.id}/confirm`,
      { code: code === '000000' ? '111111' : '000000' },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('wrong_code');
    const ok = await agent.call('POST', `/api/v1/people/${personId}/verifications/${start.body.id}/confirm`, {
      code,
    });
    expect(ok.status).toBe(201);
    expect(ok.body.link).toMatchObject({ method: 'verified' });
    expect(
      (
        await agent.call('POST', `/api/v1/people/${personId}/verifications/${start.body.id}/confirm`, {
          code,
        })
      ).status,
    ).toBe(409);
    const person = (await agent.call('GET', `/api/v1/people/${personId}`)).body;
    expect(person.accounts[0]).toMatchObject({ method: 'verified', account: { accountNumber: 'NW-1001' } });
    expect(person.accounts[0].reason).toMatch(/one-time code/);
    const [entry] = await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, ok.body.link.id));
    expect(entry).toMatchObject({
      action: 'link.created',
      data: expect.objectContaining({ method: 'verified' }),
    });
  });

  it('verified link by the one-time link the customer opens (no sign-in), sent as a private message', async () => {
    const { personId, caseId } = await personOf('jimroe');
    const other = await personOf('stranger');
    expect(
      (
        await agent.call('POST', `/api/v1/people/${personId}/verifications`, {
          accountNumber: 'NW-1002',
          caseId: other.caseId,
        })
      ).status,
    ).toBe(400);
    const start = await agent.call('POST', `/api/v1/people/${personId}/verifications`, {
      accountNumber: 'NW-1002',
      caseId,
    });
    expect(start.body.via).toBe('private');
    await t.deliver();
    const sent = (await agent.call('GET', '/api/v1/channels/sandbox/outbox')).body.items.find(
      (o: { caseId: string; mode: string }) => o.caseId === caseId && o.mode === 'private',
    );
    expect(sent.text).not.toContain('NW-1002');
    const token = /link-verifications\/([A-Za-z0-9_-]+)/.exec(sent.text)![1]!;
    const opened = await t.app.inject({ method: 'GET', url: `/api/v1/link-verifications/${token}` });
    expect(opened.statusCode).toBe(200);
    expect(opened.json()).toEqual({ confirmed: true, linked: true });
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/link-verifications/${token}` })).statusCode,
    ).toBe(409);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/link-verifications/${'x'.repeat(32)}` })).statusCode,
    ).toBe(404);
    expect((await agent.call('GET', `/api/v1/people/${personId}`)).body.accounts[0].method).toBe('verified');
  });

  it('merges two people (identities, accounts, cases move) and separates an identity again; both audited', async () => {
    const a = await personOf('merge_main');
    const b = await personOf('merge_alt');
    await agent.call('POST', `/api/v1/people/${b.personId}/links`, {
      accountNumber: 'NW-1002',
      method: 'agent',
      reason: 'alt account of the same customer',
    });
    const merged = await agent.call('POST', `/api/v1/people/${a.personId}/merge`, {
      personId: b.personId,
      reason: 'same customer on two handles',
    });
    expect(merged.status).toBe(200);
    expect(merged.body.identities.map((i: { handle: string }) => i.handle).sort()).toEqual([
      'merge_alt',
      'merge_main',
    ]);
    expect(
      merged.body.accounts.map((x: { account: { accountNumber: string } }) => x.account.accountNumber),
    ).toEqual(['NW-1002']);
    expect((await agent.call('GET', `/api/v1/cases/${b.caseId}`)).body.personId).toBe(a.personId);
    const timeline = (await agent.call('GET', `/api/v1/people/${a.personId}/timeline`)).body;
    expect(timeline.cases).toHaveLength(2);
    expect(
      (await agent.call('POST', `/api/v1/people/${a.personId}/merge`, { personId: a.personId, reason: 'x' }))
        .status,
    ).toBe(400);

    const alt = merged.body.identities.find((i: { handle: string }) => i.handle === 'merge_alt');
    expect(alt.link.method).toBe('agent');
    const detached = await agent.call('POST', `/api/v1/people/${a.personId}/identities/${alt.id}/detach`, {
      reason: 'different person after all',
    });
    expect(detached.status).toBe(201);
    expect(detached.body.identities.map((i: { handle: string }) => i.handle)).toEqual(['merge_alt']);
    expect((await agent.call('GET', `/api/v1/cases/${b.caseId}`)).body.personId).toBe(detached.body.id);
    const only = await agent.call('POST', `/api/v1/people/${detached.body.id}/identities/${alt.id}/detach`, {
      reason: 'x',
    });
    expect(only.status).toBe(400);
    const actions = (await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, a.personId))).map(
      (x) => x.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['person.merged', 'person.identity_detached']));
  });

  it('earshot import customers: upserts accounts, links known handles on first sight, reports skipped rows by line', async () => {
    const file = csv(
      [
        'account_number,name,email,phone,plan,handles,region',
        'C-1,Ada Lovelace,ada@example.org,555-0100,fibre-1000,sandbox:@adal;x:ada_x,north',
        ',No Number,,,,,south',
        'C-2,Bad Mail,not-an-email,,,,east',
        'C-3,Bad Handles,c3@example.org,,,adal-without-channel,west',
        'C-1,Ada Again,,,,,north',
        'C-4,"Quoted, Name",c4@example.org,,tv,,west',
      ].join('\r\n'),
    );
    const s = await importCustomers(t.ctx.db, file);
    expect(s).toMatchObject({ read: 6, imported: 2, updated: 0, duplicates: 1, skipped: 3 });
    expect(s.skipReasons).toEqual({ missing_account_number: [3], invalid_email: [4], invalid_handles: [5] });
    const [ada] = await t.ctx.db
      .select()
      .from(customerAccounts)
      .where(eq(customerAccounts.accountNumber, 'C-1'));
    expect(ada).toMatchObject({
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      plan: 'fibre-1000',
      attributes: { region: 'north' },
    });
    expect(ada!.knownHandles).toEqual([
      { channel: 'sandbox', handle: 'adal' },
      { channel: 'x', handle: 'ada_x' },
    ]);
    const again = await importCustomers(t.ctx.db, file);
    expect(again).toMatchObject({ imported: 0, updated: 2 });
    // A post by a listed handle links the account on first sight (evidence: the account lists it).
    const { personId } = await personOf('adal');
    const person = (await agent.call('GET', `/api/v1/people/${personId}`)).body;
    expect(person.accounts).toEqual([
      expect.objectContaining({
        method: 'import',
        account: expect.objectContaining({ accountNumber: 'C-1' }),
      }),
    ]);
    // Bad input names file and line.
    await expect(importCustomers(t.ctx.db, csv('name,email\nx,y\n'))).rejects.toThrow(UsageError);
    await expect(importCustomers(t.ctx.db, csv('name,email\nx,y\n'))).rejects.toThrow(
      /customers\.csv:1: missing column account_number/,
    );
    await expect(importCustomers(t.ctx.db, '/nonexistent/customers.csv')).rejects.toThrow(/no such file/);
  });

  it('customer accounts API: upsert (managers), search, detail with linked people; bad input names the field', async () => {
    const up = await manager.call('PUT', '/api/v1/customer-accounts', {
      accounts: [{ accountNumber: 'NW-1002', name: 'Jim Roe', plan: 'tv-plus' }],
    });
    expect(up.body).toEqual({ inserted: 0, updated: 1 });
    expect(
      (await agent.call('PUT', '/api/v1/customer-accounts', { accounts: [{ accountNumber: 'Z' }] })).status,
    ).toBe(403);
    const bad = await manager.call('PUT', '/api/v1/customer-accounts', {
      accounts: [{ accountNumber: 'Z', email: 'nope' }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/accounts\.0\.email/);
    const found = (await agent.call('GET', '/api/v1/customer-accounts?q=roe')).body.items.map(
      (a: { accountNumber: string }) => a.accountNumber,
    );
    expect(found).toEqual(['NW-1001', 'NW-1002']);
    const id = (await agent.call('GET', '/api/v1/customer-accounts?q=NW-1002')).body.items[0].id;
    const detail = (await agent.call('GET', `/api/v1/customer-accounts/${id}`)).body;
    expect(detail).toMatchObject({ accountNumber: 'NW-1002', plan: 'tv-plus' });
    expect(detail.people.length).toBeGreaterThanOrEqual(1);
  });

  it('asks the configured lookup endpoint for candidate accounts (admin configures; header values never shown or audited)', async () => {
    const seen: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ auth: req.headers['x-api-key'], body: JSON.parse(body) });
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({ accounts: [{ accountNumber: 'CRM-77', name: 'Lou Kup', plan: 'fibre-500' }] }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const { personId } = await personOf('loukup');
      expect((await agent.call('POST', `/api/v1/people/${personId}/lookup`)).status).toBe(409);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lookup`;
      expect((await manager.call('PUT', '/api/v1/settings/customer-lookup', { url })).status).toBe(403);
      const cfg = await t.admin.call('PUT', '/api/v1/settings/customer-lookup', {
        url,
        headers: { 'x-api-key': 'sekret-123' },
      });
      expect(cfg.body.headers).toEqual({ 'x-api-key': '•••' });
      const res = await agent.call('POST', `/api/v1/people/${personId}/lookup`);
      expect(res.status).toBe(200);
      expect(res.body.candidates.map((a: { accountNumber: string }) => a.accountNumber)).toEqual(['CRM-77']);
      expect(seen).toEqual([
        {
          auth: 'sekret-123',
          body: { identities: [{ channel: 'sandbox', handle: 'loukup', email: null }], email: null },
        },
      ]);
      const logged = JSON.stringify(
        await t.ctx.db.select().from(auditLog).where(eq(auditLog.targetId, 'customer_lookup')),
      );
      expect(logged).toContain('x-api-key');
      expect(logged).not.toContain('sekret-123');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
