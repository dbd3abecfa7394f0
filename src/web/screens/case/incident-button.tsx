import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys } from '../../api/queries.ts';
import type { CaseDetail } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { LoadingState, Notice } from '../../components/states.tsx';
import { useToast } from '../../components/toast.tsx';

type IncidentItem = { id: string; title: string; status: string; cases?: { total: number } };

/** Link the case to an open incident, so one update reaches it with the others. */
export function IncidentButton({ c }: { c: CaseDetail }) {
  const qc = useQueryClient();
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const list = useQuery({
    queryKey: ['incidents', 'open'],
    queryFn: () => api.get<{ items: IncidentItem[] }>('/incidents', { status: 'open,suggested' }),
    enabled: open,
  });
  const link = useMutation({
    mutationFn: (i: IncidentItem) => api.post(`/incidents/${i.id}/cases`, { caseIds: [c.id] }),
    onSuccess: (_r, i) => {
      toast.show(`Linked to the incident "${i.title}"`);
      setOpen(false);
      void qc.invalidateQueries({ queryKey: keys.case(c.id) });
      void qc.invalidateQueries({ queryKey: ['incidents'] });
    },
  });
  if (c.incidentId) return null;
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        Add to incident
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Add to an incident">
        {list.isPending ? (
          <LoadingState />
        ) : list.data?.items.length ? (
          <ul className="pick-list">
            {list.data.items.map((i) => (
              <li key={i.id}>
                <button type="button" className="pick" onClick={() => link.mutate(i)}>
                  <span>{i.title}</span>
                  <span className="muted small">
                    {i.status} · {i.cases?.total ?? 0} cases
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No open incident. Open one on the Incidents screen.</p>
        )}
        {link.isError ? (
          <Notice tone="danger" role="alert">
            {errorMessage(link.error)}
          </Notice>
        ) : null}
      </Dialog>
    </>
  );
}
