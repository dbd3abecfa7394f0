import type { IngestOutcome, NormalisedPost } from '../../../common/post.schema.ts';

/** Where imported posts go (the ingest stage, in production). */
export type ImportSink = (posts: NormalisedPost[]) => Promise<IngestOutcome[]>;

/** Counts for an import: rows read, imported, duplicates, skipped with reasons (and sample lines). */
export function newSummary() {
  const reasons: Record<string, { count: number; lines: number[] }> = {};
  const s = {
    read: 0,
    imported: 0,
    duplicates: 0,
    skipped: 0,
    dropped: 0,
    reasons,
    skip(reason: string, line?: number) {
      s.skipped++;
      reasons[reason] ??= { count: 0, lines: [] };
      const r = reasons[reason];
      r.count++;
      if (line !== undefined && r.lines.length < 20) r.lines.push(line);
    },
    addOutcomes(outcomes: IngestOutcome[]) {
      for (const o of outcomes) {
        if (o.outcome === 'stored') s.imported++;
        else if (o.outcome === 'duplicate') s.duplicates++;
        else {
          s.dropped++;
          s.skip(`dropped:${o.reason ?? 'unknown'}`);
        }
      }
    },
    toJSON() {
      return {
        read: s.read,
        imported: s.imported,
        duplicates: s.duplicates,
        skipped: s.skipped,
        skipReasons: reasons,
      };
    },
  };
  return s;
}
export type ImportSummary = ReturnType<typeof newSummary>;
