// Shapes of the API responses the console reads (see the server's presenters and /api/docs).

export type Role = 'admin' | 'manager' | 'agent' | 'contributor' | 'viewer';
export type CaseStatus = 'new' | 'open' | 'pending' | 'resolved' | 'closed';
export type ReplyMode = 'public' | 'private' | 'email';
export type Sentiment = 'negative' | 'neutral' | 'positive';

export type User = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  availability: 'online' | 'away' | 'offline';
  capacity?: number;
  skills?: string[];
  disabled?: boolean;
  createdAt?: string;
  teams?: { id: string; name: string }[];
};

export type CaseSummary = {
  id: string;
  number: number;
  status: CaseStatus;
  channel: string;
  subject: string;
  preview: string;
  priority: {
    rank: number;
    dueAt: string | null;
    serviceRecovery: boolean;
    serviceRecoverySource: 'agent' | 'triage' | null;
    reasons: string[];
  };
  sla: {
    firstResponseDueAt: string | null;
    nextResponseDueAt: string | null;
    resolutionDueAt: string | null;
    firstResponseAt: string | null;
    breachedAt: string | null;
  };
  queue: { id: string; name: string | null } | null;
  assignee: { id: string; name: string | null } | null;
  personId: string | null;
  author: { handle: string; name: string | null } | null;
  followers: number | null;
  intent: string | null;
  sentiment: Sentiment | null;
  lang: string | null;
  tags: string[];
  topicIds: string[];
  incidentId: string | null;
  isOutreach: boolean;
  inboundCount: number;
  outboundCount: number;
  createdAt: string;
  updatedAt: string;
  lastInboundAt: string | null;
};

export type CasePage = { items: CaseSummary[]; nextCursor: string | null };

export type PiiSpan = { kind: string; start: number; end: number };

export type TimelineEntry = {
  id: string;
  kind: 'inbound' | 'outbound' | 'note' | 'event';
  type: string | null;
  at: string;
  actor: string | null;
  body: string;
  data: Record<string, unknown>;
  post: {
    id: string;
    channel: string;
    externalId: string;
    url: string | null;
    title: string | null;
    author: { handle: string | null; displayName: string | null; followers: number | null };
    sentiment: string | null;
    intent: string | null;
    pii: PiiSpan[] | null;
    isPrivate: boolean;
  } | null;
  delivery: {
    status: 'queued' | 'sending' | 'sent' | 'failed';
    mode: ReplyMode;
    error: string | null;
    sentAt: string | null;
  } | null;
};

export type Identity = {
  id: string;
  channel: string;
  externalId: string;
  handle: string;
  displayName: string | null;
  followers: number | null;
  email: string | null;
  link: { method: string; evidence: string | null; at: string } | null;
};

export type AccountLink = {
  linkId: string;
  method: string;
  reason: string | null;
  linkedBy: string | null;
  linkedAt: string;
  account: {
    id: string;
    accountNumber: string;
    name: string | null;
    email: string | null;
    phone: string | null;
    plan: string | null;
    status: string | null;
    attributes: Record<string, unknown>;
  };
};

export type Person = {
  id: string;
  displayName: string | null;
  primaryEmail: string | null;
  doNotContact: boolean;
  optedOutAt: string | null;
  identities: Identity[];
  accounts: AccountLink[];
};

export type Interaction = {
  id: string;
  channel: string;
  externalId: string;
  direction: 'inbound' | 'outbound';
  text: string;
  title: string | null;
  url: string | null;
  createdAt: string;
  caseId: string | null;
  sentiment: string | null;
  intent: string | null;
  handle: string;
};

export type PastCase = {
  id: string;
  number: number;
  status: CaseStatus;
  channel: string;
  subject: string;
  createdAt: string;
  resolvedAt: string | null;
};

export type PresenceEntry = {
  user: { id: string; name: string };
  state: 'viewing' | 'typing';
  since: string;
};

export type CaseDetail = CaseSummary & {
  version: number;
  /** Who else is on the case (from the server's presence tracker), when the server reports it. */
  presence?: PresenceEntry[];
  timeline: TimelineEntry[];
  person: Person | null;
  history: { cases: PastCase[]; interactions: Interaction[] } | null;
};

export type Channel = {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  secrets: Record<string, 'set'>;
  enabled: boolean;
  cursor: unknown;
  health: { lastSuccessAt?: string | null; lastError?: string | null; [k: string]: unknown } | null;
  createdAt: string;
  updatedAt: string;
};

export type AuditEntry = {
  id: string;
  at: string;
  actorUserId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  data: Record<string, unknown> | null;
  ip?: string | null;
};

export type PriorityPolicy = {
  serviceRecoveryFirst: boolean;
  acceptTriageSuggestions: boolean;
  prRiskFollowerThreshold: number;
};

export type OutboxItem = {
  id: string;
  caseId: string | null;
  mode: ReplyMode;
  text: string;
  sentAt: string | null;
};

export type LiveEvent =
  | { type: 'case.created'; caseId: string }
  | { type: 'case.updated'; caseId: string }
  | {
      type: 'presence';
      caseId: string;
      state: 'viewing' | 'typing' | 'left';
      user: { id: string; name: string | null };
    }
  | { type: string; [k: string]: unknown };
