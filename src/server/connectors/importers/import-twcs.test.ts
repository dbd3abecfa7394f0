import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IngestOutcome, NormalisedPost } from '../../../common/post.schema.ts';
import { UsageError } from '../../platform/errors.ts';
import { sharedDataDir } from '../../platform/shared-data.ts';
import { importTwcs, normaliseId } from './import-twcs.ts';

const TWCS = join(sharedDataDir, 'twcs-sample.csv');

/** Collects what the importer hands to ingest and answers like ingest does (stored / duplicate). */
function collector() {
  const seen = new Set<string>();
  const posts: NormalisedPost[] = [];
  const sink = async (batch: NormalisedPost[]): Promise<IngestOutcome[]> =>
    batch.map((p) => {
      posts.push(p);
      const k = `${p.channel}:${p.externalId}`;
      const dup = seen.has(k);
      seen.add(k);
      return { externalId: p.externalId, outcome: dup ? 'duplicate' : 'stored' };
    });
  return { posts, sink };
}

function tmpFile(content: string | Buffer) {
  const f = join(mkdtempSync(join(tmpdir(), 'twcs-')), 'in.csv');
  writeFileSync(f, content);
  return f;
}

describe('import twcs', () => {
  it('reads the real 5,000-row sample with no format skips', async () => {
    expect(existsSync(TWCS), `shared data missing at ${TWCS}`).toBe(true);
    const c = collector();
    const s = await importTwcs(TWCS, c.sink);
    expect(s.read).toBe(5000);
    expect(s.skipped).toBe(0);
    expect(s.imported + s.duplicates).toBe(5000);
    // Brand care accounts (inbound=False) become outbound replies; float ids are normalised.
    const outbound = c.posts.filter((p) => p.direction === 'outbound');
    expect(outbound.length).toBeGreaterThan(1000);
    expect(outbound.every((p) => /\D/.test(p.author.handle))).toBe(true);
    expect(c.posts.some((p) => p.inReplyTo?.endsWith('.0'))).toBe(false);
    expect(c.posts.find((p) => p.externalId === '192624')?.inReplyTo).toBe('192625');
  });

  it('accepts a leading pandas index column, LF endings and bare CRs inside fields', async () => {
    const csv =
      ',tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n' +
      '0,10,115712,True,Tue Oct 31 22:10:47 +0000 2017,"@sprintcare line one\rline two",,11.0\n' +
      '1,11,sprintcare,False,Tue Oct 31 22:11:45 +0000 2017,@115712 Please DM us,10,\n';
    const c = collector();
    const s = await importTwcs(tmpFile(csv), c.sink);
    expect(s.toJSON()).toMatchObject({ read: 2, imported: 2, skipped: 0 });
    expect(c.posts[0]!.text).toBe('@sprintcare line one line two');
    expect(c.posts[0]!.inReplyTo).toBe('11');
    expect(c.posts[1]!.direction).toBe('outbound');
  });

  it('skips bad rows with reasons and line numbers, and counts duplicates', async () => {
    const csv =
      'tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\r\n' +
      '1,a,True,not a date,hello,,\r\n' +
      'x,a,True,Tue Oct 31 22:10:47 +0000 2017,hello,,\r\n' +
      '2,a,True,Tue Oct 31 22:10:47 +0000 2017,hello,,\r\n' +
      '2,a,True,Tue Oct 31 22:10:47 +0000 2017,hello again,,\r\n';
    const s = await importTwcs(tmpFile(csv), collector().sink);
    const j = s.toJSON();
    expect(j).toMatchObject({ read: 4, imported: 1, duplicates: 1, skipped: 2 });
    expect(j.skipReasons.invalid_created_at).toEqual({ count: 1, lines: [2] });
    expect(j.skipReasons.invalid_tweet_id).toEqual({ count: 1, lines: [3] });
  });

  it('refuses a file that is not twcs with a usage error naming file and line', async () => {
    const f = tmpFile('id,name\n1,x\n');
    await expect(importTwcs(f, collector().sink)).rejects.toThrow(UsageError);
    await expect(importTwcs(f, collector().sink)).rejects.toThrow(
      /in\.csv:1: not a twcs CSV: missing column\(s\) tweet_id/,
    );
    await expect(importTwcs('/nonexistent/x.csv', collector().sink)).rejects.toThrow(/no such file/);
    await expect(importTwcs(tmpFile(''), collector().sink)).rejects.toThrow(/empty file/);
  });

  it('normalises float-formatted ids', () => {
    expect(normaliseId('3.0')).toBe('3');
    expect(normaliseId(' 192625.0 ')).toBe('192625');
    expect(normaliseId('')).toBeUndefined();
    expect(normaliseId('abc')).toBe('abc');
  });
});
