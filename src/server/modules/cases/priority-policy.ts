import { z } from 'zod';
import type { Db } from '../../platform/db/client.ts';
import { getSetting } from '../../platform/settings.ts';

/**
 * The team's rule: everyone is served in the order their SLA falls due, whatever their influence;
 * the exception is service recovery (the company made an error), which goes first. Changing the
 * policy is an admin action recorded in the audit log (`PUT /api/v1/settings/priority-policy`).
 */
export const priorityPolicySchema = z.object({
  serviceRecoveryFirst: z.boolean().default(true),
  /** Triage suggestions of service recovery (billing error, missed appointment, outage) count. */
  acceptTriageSuggestions: z.boolean().default(true),
  /** Influence never orders the queue; it is shown to agents and feeds PR-risk alerts instead. */
  prRiskFollowerThreshold: z.number().int().positive().default(100_000),
});
export type PriorityPolicy = z.infer<typeof priorityPolicySchema>;
export const PRIORITY_POLICY_SETTING = 'priority_policy';

export function getPriorityPolicy(db: Db): Promise<PriorityPolicy> {
  return getSetting(db, PRIORITY_POLICY_SETTING, priorityPolicySchema);
}

type CaseTimes = {
  serviceRecovery: boolean;
  serviceRecoverySource: 'agent' | 'triage' | null;
  status: string;
  firstResponseAt: Date | null;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  createdAt: Date;
  maxFollowers: number | null;
  slaBreachedAt?: Date | null;
};

const hhmm = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/**
 * The case's place in the queue and why: rank 0 for service recovery, 1 for everyone else, then
 * the next SLA deadline, then arrival. Follower counts are deliberately not an input.
 */
export function computePriority(c: CaseTimes, policy: PriorityPolicy) {
  const reasons: string[] = [];
  const recovery =
    policy.serviceRecoveryFirst &&
    c.serviceRecovery &&
    (c.serviceRecoverySource === 'agent' || policy.acceptTriageSuggestions);
  if (recovery) {
    reasons.push(
      c.serviceRecoverySource === 'agent'
        ? 'Service recovery (flagged by an agent): the company made an error, so this customer is cared for first'
        : 'Service recovery (suggested by triage): the company made an error, so this customer is cared for first',
    );
  }
  let dueAt: Date | null = null;
  if (c.status === 'new' || (c.status === 'open' && !c.firstResponseAt)) {
    dueAt = c.firstResponseDueAt;
    if (dueAt)
      reasons.push(`First response due ${hhmm(dueAt)} UTC (queue SLA); earlier deadlines are served first`);
  } else if (c.status === 'open') {
    dueAt = c.nextResponseDueAt ?? c.resolutionDueAt;
    if (dueAt) reasons.push(`Next response due ${hhmm(dueAt)} UTC (queue SLA)`);
  } else if (c.status === 'pending') {
    dueAt = c.resolutionDueAt;
    reasons.push('Waiting for the customer');
  } else {
    reasons.push(`Status ${c.status}`);
  }
  if (c.slaBreachedAt && (c.status === 'new' || c.status === 'open')) {
    reasons.push(`Overdue: an SLA was breached at ${hhmm(c.slaBreachedAt)} UTC`);
  }
  if (!dueAt) reasons.push(`In order of arrival (${hhmm(c.createdAt)} UTC)`);
  else reasons.push(`Same targets for everyone: arrival ${hhmm(c.createdAt)} UTC breaks ties`);
  if (c.maxFollowers && c.maxFollowers >= policy.prRiskFollowerThreshold) {
    reasons.push(
      `Influence shown for context only (${c.maxFollowers.toLocaleString('en-US')} followers): it does not change the order`,
    );
  }
  return { priorityRank: recovery ? 0 : 1, dueAt, priorityReasons: reasons };
}
