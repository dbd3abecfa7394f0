import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../platform/db/client.ts';
import { commonWords } from './common-words.ts';
import { getTopicRow } from './manage-topics.ts';
import { type Token, tokenize } from './tokenize.ts';

export type ExclusionSuggestion = {
  /**
   * The condition in the query language, ready to add to the topic's excludes (`jobs`, `#hiring`,
   * `site:careers.example.com`, `email:comcast.net`).
   */
  term: string;
  dismissed: number;
  kept: number;
  /** How much more often the term occurs in dismissed matches than in kept ones (log odds). */
  score: number;
};

/** The query-language condition a token stands for, or null when it is not worth suggesting. */
function conditionOf(t: Token): string | null {
  switch (t.kind) {
    case 'word':
      return t.norm.length >= 3 && !commonWords.has(t.norm) && /^\p{L}[\p{L}\p{N}_]*$/u.test(t.norm)
        ? t.norm
        : null;
    case 'hashtag':
    case 'mention':
      return /^[#@][\p{L}\p{N}_]+$/u.test(t.norm) ? t.norm : null;
    case 'url':
      return t.domain ? `site:${t.domain.replace(/^www\./, '')}` : null;
    case 'email':
      return t.domain ? `email:${t.domain}` : null;
    default:
      return null;
  }
}

function documentFrequencies(texts: string[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const t of tokenize(text)) {
      const c = conditionOf(t);
      if (c) seen.add(c);
    }
    for (const c of seen) df.set(c, (df.get(c) ?? 0) + 1);
  }
  return df;
}

/**
 * Exclusion terms for a topic, learned from agents' "not relevant" verdicts: conditions frequent
 * in its dismissed matches and rare in the matches nobody dismissed (the most recent 500 and 2,000).
 */
export async function suggestExclusions(db: Db, topicId: string, limit = 10): Promise<ExclusionSuggestion[]> {
  const topic = await getTopicRow(db, topicId);
  const dismissed = await queryRows<{ text: string; title: string | null }>(
    db,
    sql`SELECT p.text, p.title FROM topic_matches m JOIN posts p ON p.id = m.post_id
        WHERE m.topic_id = ${topicId} AND m.dismissed_at IS NOT NULL
        ORDER BY m.dismissed_at DESC LIMIT 500`,
  );
  if (dismissed.length < 2) return [];
  const kept = await queryRows<{ text: string; title: string | null }>(
    db,
    sql`SELECT p.text, p.title FROM posts p
        WHERE ${topicId}::uuid = ANY(p.topic_ids) AND NOT EXISTS (
          SELECT 1 FROM topic_matches m WHERE m.topic_id = ${topicId} AND m.post_id = p.id AND m.dismissed_at IS NOT NULL)
        ORDER BY p.seq DESC LIMIT 2000`,
  );
  const full = (r: { text: string; title: string | null }) => (r.title ? `${r.title}\n${r.text}` : r.text);
  const dd = documentFrequencies(dismissed.map(full));
  const dk = documentFrequencies(kept.map(full));
  const own = new Set(
    tokenize([topic.query, ...topic.includes].join(' '))
      .map(conditionOf)
      .filter((c): c is string => c !== null),
  );
  const nD = dismissed.length;
  const nK = kept.length;
  const out: ExclusionSuggestion[] = [];
  for (const [term, d] of dd) {
    if (d < 2 || own.has(term)) continue;
    const k = dk.get(term) ?? 0;
    const score = Math.log((d + 0.5) / (nD + 1)) - Math.log((k + 0.5) / (nK + 1));
    if (score <= Math.log(2)) continue;
    out.push({ term, dismissed: d, kept: k, score: Number(score.toFixed(3)) });
  }
  out.sort((a, b) => b.score - a.score || b.dismissed - a.dismissed || (a.term < b.term ? -1 : 1));
  return out.slice(0, limit);
}
