import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys } from '../../api/queries.ts';
import type { AccountLink, CaseDetail } from '../../api/types.ts';
import { Badge } from '../../components/badge.tsx';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { SelectField, TextField } from '../../components/field.tsx';
import { RelativeTime } from '../../components/relative-time.tsx';
import { Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';
import { channelName, formatNumber, titleCase } from '../../lib/format.ts';

const LINK_METHOD: Record<string, string> = {
  verified: 'Verified by the customer',
  agent: 'Linked by an agent',
  import: 'From the customer import',
  auto: 'Matched automatically',
};

/** Beside the conversation: who this is, their identities, accounts (and how each was linked), history. */
export function CustomerPanel({ c, canWork }: { c: CaseDetail; canWork: boolean }) {
  const p = c.person;
  const [linking, setLinking] = useState(false);
  if (!p) {
    return (
      <aside className="customer" aria-label="Customer">
        <p className="muted">No person is attached to this case yet.</p>
      </aside>
    );
  }
  const otherInteractions = (c.history?.interactions ?? []).filter((i) => i.caseId !== c.id);
  return (
    <aside className="customer" aria-label="Customer">
      <section className="customer-section">
        <h2 className="customer-name">{p.displayName ?? p.identities[0]?.handle ?? 'Customer'}</h2>
        {p.primaryEmail ? <p className="muted">{p.primaryEmail}</p> : null}
        {p.doNotContact ? <Badge tone="danger">Do not contact</Badge> : null}
      </section>

      <section className="customer-section" aria-labelledby="identities-h">
        <h3 id="identities-h">Identities</h3>
        <ul className="plain-list">
          {p.identities.map((i) => (
            <li key={i.id} className="identity">
              <span>
                <Badge>{channelName(i.channel)}</Badge>{' '}
                <strong>{i.channel === 'email' ? i.handle : `@${i.handle}`}</strong>
              </span>
              <span className="muted small">
                {i.followers !== null ? `${formatNumber(i.followers)} followers · ` : ''}
                {i.link
                  ? `${LINK_METHOD[i.link.method] ?? titleCase(i.link.method)}${i.link.evidence ? ` — ${i.link.evidence}` : ''}`
                  : 'Not linked'}
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section className="customer-section" aria-labelledby="accounts-h">
        <div className="section-head">
          <h3 id="accounts-h">Customer accounts</h3>
          {canWork ? (
            <Button size="sm" variant="ghost" onClick={() => setLinking(true)}>
              Link account
            </Button>
          ) : null}
        </div>
        {p.accounts.length ? (
          <ul className="plain-list">
            {p.accounts.map((a) => (
              <AccountItem key={a.linkId} a={a} personId={p.id} caseId={c.id} canWork={canWork} />
            ))}
          </ul>
        ) : (
          <p className="muted small">No account linked. Link one so everyone sees the customer's record.</p>
        )}
      </section>

      <section className="customer-section" aria-labelledby="past-h">
        <h3 id="past-h">Past cases</h3>
        {c.history?.cases.length ? (
          <ul className="plain-list">
            {c.history.cases.map((pc) => (
              <li key={pc.id}>
                <Link to="/cases/$caseId" params={{ caseId: pc.id }}>
                  #{pc.number} {pc.subject || '(no subject)'}
                </Link>
                <span className="muted small">
                  {' '}
                  · {titleCase(pc.status)} · {channelName(pc.channel)} · <RelativeTime at={pc.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">This is their first case.</p>
        )}
      </section>

      <section className="customer-section" aria-labelledby="history-h">
        <h3 id="history-h">Elsewhere ({otherInteractions.length})</h3>
        {otherInteractions.length ? (
          <ul className="plain-list history">
            {otherInteractions.slice(0, 20).map((i) => (
              <li key={i.id}>
                <span className="small">
                  <Badge>{channelName(i.channel)}</Badge> {i.direction === 'outbound' ? 'Brand → ' : ''}
                  <RelativeTime className="muted" at={i.createdAt} />
                </span>
                <span className="history-text">{i.text}</span>
                {i.caseId ? (
                  <Link className="small" to="/cases/$caseId" params={{ caseId: i.caseId }}>
                    Open its case
                  </Link>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">No other interactions on any channel.</p>
        )}
      </section>
      <LinkAccountDialog open={linking} onClose={() => setLinking(false)} personId={p.id} caseId={c.id} />
    </aside>
  );
}

function AccountItem({
  a,
  personId,
  caseId,
  canWork,
}: {
  a: AccountLink;
  personId: string;
  caseId: string;
  canWork: boolean;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const unlink = useMutation({
    mutationFn: () => api.delete(`/people/${personId}/links/${a.linkId}`, { reason: reason.trim() }),
    onSuccess: () => {
      toast.show(`Account ${a.account.accountNumber} unlinked`);
      setOpen(false);
      void qc.invalidateQueries({ queryKey: keys.case(caseId) });
    },
  });
  return (
    <li className="account">
      <span>
        <strong>{a.account.name ?? a.account.accountNumber}</strong>{' '}
        <span className="muted">{a.account.accountNumber}</span>
      </span>
      <span className="small">
        {[a.account.plan, a.account.status].filter(Boolean).join(' · ')}
        {a.account.email ? ` · ${a.account.email}` : ''}
      </span>
      <span className="muted small">
        {LINK_METHOD[a.method] ?? titleCase(a.method)}
        {a.linkedBy ? ` (${a.linkedBy})` : ''}
        {a.reason ? `: ${a.reason}` : ''} · <RelativeTime at={a.linkedAt} />
      </span>
      {canWork ? (
        <button type="button" className="link-btn small" onClick={() => setOpen(true)}>
          Unlink
        </button>
      ) : null}
      <Dialog open={open} onClose={() => setOpen(false)} title={`Unlink account ${a.account.accountNumber}`}>
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) unlink.mutate();
          }}
        >
          <TextField
            label="Why is this link wrong?"
            hint="Recorded with the removed link and in the audit log"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            autoFocus
            required
          />
          {unlink.isError ? (
            <Notice tone="danger" role="alert">
              {errorMessage(unlink.error)}
            </Notice>
          ) : null}
          <div className="row-end">
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="danger" busy={unlink.isPending} disabled={!reason.trim()}>
              Unlink
            </Button>
          </div>
        </form>
      </Dialog>
    </li>
  );
}

function LinkAccountDialog({
  open,
  onClose,
  personId,
  caseId,
}: {
  open: boolean;
  onClose: () => void;
  personId: string;
  caseId: string;
}) {
  const qc = useQueryClient();
  const toast = useToast();
  const [accountNumber, setAccountNumber] = useState('');
  const [method, setMethod] = useState<'agent' | 'verified'>('agent');
  const [reason, setReason] = useState('');
  const link = useMutation({
    mutationFn: () =>
      api.post(`/people/${personId}/links`, {
        accountNumber: accountNumber.trim(),
        method,
        reason: reason.trim(),
      }),
    onSuccess: () => {
      toast.show(`Account ${accountNumber.trim()} linked`);
      void qc.invalidateQueries({ queryKey: keys.case(caseId) });
      setAccountNumber('');
      setReason('');
      onClose();
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    link.mutate();
  }
  return (
    <Dialog open={open} onClose={onClose} title="Link a customer account">
      <form onSubmit={submit} className="stack">
        <TextField
          label="Account number"
          value={accountNumber}
          onChange={(e) => setAccountNumber(e.target.value)}
          required
          autoFocus
        />
        <SelectField
          label="How do you know?"
          value={method}
          onChange={(e) => setMethod(e.target.value as 'agent' | 'verified')}
          options={[
            { value: 'agent', label: 'My judgement (agent link, with a reason)' },
            { value: 'verified', label: 'The customer verified it' },
          ]}
        />
        <TextField
          label="Reason"
          hint="Recorded with the link and in the audit log"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
        />
        {link.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(link.error)}
          </Notice>
        ) : null}
        <div className="row-end">
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            variant="primary"
            busy={link.isPending}
            disabled={!accountNumber.trim() || !reason.trim()}
          >
            Link account
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
