import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys, usePriorityPolicy } from '../../api/queries.ts';
import type { PriorityPolicy } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Checkbox, TextField } from '../../components/field.tsx';
import { Panel } from '../../components/page.tsx';
import { ErrorState, LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';

/** The priority policy: influence-blind by default; service recovery first. Admins change it (audited). */
export function PrioritySection({ isAdmin }: { isAdmin: boolean }) {
  const policy = usePriorityPolicy();
  const qc = useQueryClient();
  const toast = useToast();
  const [draft, setDraft] = useState<PriorityPolicy | null>(null);
  useEffect(() => {
    if (policy.data) setDraft(policy.data);
  }, [policy.data]);
  const save = useMutation({
    mutationFn: (p: PriorityPolicy) => api.put<PriorityPolicy>('/settings/priority-policy', p),
    onSuccess: () => {
      toast.show('Priority policy saved (recorded in the audit log)');
      void qc.invalidateQueries({ queryKey: keys.policy });
    },
  });
  if (policy.isPending || !draft)
    return policy.isError ? (
      <ErrorState error={policy.error} onRetry={() => policy.refetch()} />
    ) : (
      <LoadingState />
    );
  return (
    <Panel title="Priority policy">
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(draft);
        }}
      >
        <p className="muted">
          Everyone is served in the order their SLA falls due, whatever their influence. The exception: when
          the company made an error, that customer is cared for first, whichever channel they came through.
        </p>
        <fieldset className="stack plain-fieldset" disabled={!isAdmin}>
          <Checkbox
            label="Service recovery goes first"
            checked={draft.serviceRecoveryFirst}
            onChange={(e) => setDraft({ ...draft, serviceRecoveryFirst: e.target.checked })}
          />
          <Checkbox
            label="Accept service-recovery suggestions from triage (billing error, missed appointment, outage)"
            checked={draft.acceptTriageSuggestions}
            onChange={(e) => setDraft({ ...draft, acceptTriageSuggestions: e.target.checked })}
          />
          <TextField
            label="PR-risk alert from (followers)"
            hint="Shown to agents and raises an alert; it never changes the order of the queue"
            type="number"
            min={1}
            value={String(draft.prRiskFollowerThreshold)}
            onChange={(e) =>
              setDraft({ ...draft, prRiskFollowerThreshold: Math.max(1, Number(e.target.value) || 1) })
            }
          />
        </fieldset>
        {save.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(save.error)}
          </Notice>
        ) : null}
        {isAdmin ? (
          <div className="row-end">
            <Button type="submit" variant="primary" busy={save.isPending}>
              Save policy
            </Button>
          </div>
        ) : (
          <p className="muted small">Only admins change the policy.</p>
        )}
      </form>
    </Panel>
  );
}
