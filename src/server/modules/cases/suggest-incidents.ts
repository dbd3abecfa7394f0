import { and, eq, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { audit, systemActor } from '../../platform/audit.ts';
import { getBrand } from '../people/brand.ts';
import { cases, incidents } from './cases.schema.ts';
import { linkIncidentCases } from './manage-incidents.ts';

export type ClusterOptions = { windowMinutes?: number; minCases?: number; now?: Date };

// Words that say nothing about *what* failed.
const STOP = new Set(
  `a about after again all also am an and any anyone are as at be been before being but by can cannot cant could did didnt do does doesnt dont for from get getting got had has have having help hello hey hi how i im is isnt it its ive just know let like me my need no not now of on or our out over please really same see since so some still than thank thanks that the their them then there they this to today too tried trying u up us very was wasnt we were what when where who why will with wont would yet you your youre guys anybody someone hours hour minutes day days week morning tonight night yesterday again ever every going gonna want wanted`.split(
    /\s+/,
  ),
);

/** The content words of a complaint: lower-case, no handles, URLs, numbers or stop words. */
export function complaintTerms(text: string, brandWords: Set<string>): Set<string> {
  const cleaned = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[@#][\w.]+/g, ' ')
    .replace(/[’']/g, '');
  const out = new Set<string>();
  for (const w of cleaned.split(/[^\p{L}\p{N}]+/u)) {
    if (w.length < 3 || /^\d+$/.test(w) || STOP.has(w) || brandWords.has(w)) continue;
    out.add(w);
  }
  return out;
}

type Candidate = { id: string; intent: string | null; terms: Set<string> };
export type Cluster = {
  signature: string;
  term: string;
  intent: string | null;
  caseIds: string[];
  related: string[];
};

/**
 * Groups complaints into clusters: within each intent (or all unlabelled ones), the content word
 * shared by the most cases forms a cluster when at least `minCases` share it; those cases are
 * taken, and the next word is tried on the rest. Deterministic (ties by word).
 */
export function clusterComplaints(cands: Candidate[], minCases: number): Cluster[] {
  const groups = new Map<string, Candidate[]>();
  for (const c of cands) {
    const k = c.intent ?? '';
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  const clusters: Cluster[] = [];
  for (const [intent, members] of groups) {
    const taken = new Set<string>();
    for (;;) {
      const df = new Map<string, number>();
      for (const m of members) if (!taken.has(m.id)) for (const t of m.terms) df.set(t, (df.get(t) ?? 0) + 1);
      const best = [...df.entries()]
        .filter(([, n]) => n >= minCases)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      if (!best) break;
      const inCluster = members.filter((m) => !taken.has(m.id) && m.terms.has(best[0]));
      for (const m of inCluster) taken.add(m.id);
      const co = new Map<string, number>();
      for (const m of inCluster) for (const t of m.terms) if (t !== best[0]) co.set(t, (co.get(t) ?? 0) + 1);
      const related = [...co.entries()]
        .filter(([, n]) => n * 2 >= inCluster.length)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, 3)
        .map(([t]) => t);
      clusters.push({
        signature: `${intent || 'any'}:${best[0]}`,
        term: best[0],
        intent: intent || null,
        caseIds: inCluster.map((m) => m.id),
        related,
      });
    }
  }
  return clusters;
}

/**
 * Outage clustering (a scheduler job, also `POST /api/v1/incidents/suggest`): a burst of similar
 * complaints — same intent and a shared key word within the window — becomes one incident
 * suggestion with every affected case linked. A cluster whose signature already has a live
 * incident adds its new cases to that incident instead of suggesting another.
 */
export async function suggestIncidents(ctx: AppContext, opts: ClusterOptions = {}) {
  const now = opts.now ?? new Date();
  const windowMinutes = opts.windowMinutes ?? 60;
  const minCases = opts.minCases ?? 5;
  const since = new Date(now.getTime() - windowMinutes * 60_000);
  const rows = await ctx.db
    .select({ id: cases.id, intent: cases.intent, subject: cases.subject, preview: cases.preview })
    .from(cases)
    .where(
      and(
        inArray(cases.status, ['new', 'open', 'pending']),
        isNull(cases.incidentId),
        isNull(cases.mergedIntoId),
        gte(cases.lastInboundAt, since),
        or(isNull(cases.sentiment), sql`${cases.sentiment} <> 'positive'`),
      ),
    )
    .limit(5000);
  const brand = await getBrand(ctx.db);
  const brandWords = new Set(
    [brand.name, ...brand.handles, ...brand.emails, ...brand.domains].flatMap((s) =>
      s
        .toLowerCase()
        .replace(/^@/, '')
        .split(/[^\p{L}\p{N}]+/u),
    ),
  );
  const clusters = clusterComplaints(
    rows.map((r) => ({
      id: r.id,
      intent: r.intent,
      terms: complaintTerms(
        r.subject === r.preview.slice(0, 140) ? r.preview : `${r.subject} ${r.preview}`,
        brandWords,
      ),
    })),
    minCases,
  );
  const out: { incidentId: string; created: boolean; linked: number; signature: string }[] = [];
  for (const cl of clusters) {
    const [live] = await ctx.db
      .select({ id: incidents.id })
      .from(incidents)
      .where(
        and(
          eq(incidents.signature, cl.signature),
          inArray(incidents.status, ['suggested', 'open']),
          gte(incidents.createdAt, new Date(now.getTime() - 24 * 3600_000)),
        ),
      )
      .limit(1);
    const why = `${cl.caseIds.length} similar complaints mention "${cl.term}" within ${windowMinutes} min`;
    if (live) {
      const linked = await linkIncidentCases(ctx.db, live.id, cl.caseIds, systemActor, why);
      out.push({ incidentId: live.id, created: false, linked, signature: cl.signature });
      continue;
    }
    const words = [cl.term, ...cl.related].map((w) => `"${w}"`).join(', ');
    const [i] = await ctx.db
      .insert(incidents)
      .values({
        title: `Possible incident: ${words}${cl.intent ? ` (${cl.intent})` : ''} — ${cl.caseIds.length} reports in ${windowMinutes} min`,
        description: `Suggested by clustering: ${why}. Accept it to send one update to every linked case, or dismiss it.`,
        status: 'suggested',
        source: 'clustering',
        signature: cl.signature,
      })
      .returning({ id: incidents.id });
    await audit(
      ctx.db,
      systemActor,
      'incident.suggested',
      { type: 'incident', id: i!.id },
      { signature: cl.signature, cases: cl.caseIds.length },
    );
    const linked = await linkIncidentCases(ctx.db, i!.id, cl.caseIds, systemActor, why);
    ctx.live.emitEvent({ type: 'incident.suggested', incidentId: i!.id });
    await ctx.bus.publish('incident.suggested', {
      incidentId: i!.id,
      action: 'suggested',
      at: now.toISOString(),
    });
    out.push({ incidentId: i!.id, created: true, linked, signature: cl.signature });
  }
  return out;
}
