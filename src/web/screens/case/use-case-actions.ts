import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage } from '../../api/client.ts';
import { keys } from '../../api/queries.ts';
import type { CaseStatus, CaseSummary } from '../../api/types.ts';
import { useToast } from '../../components/toast.tsx';

/** Assign and change status, from the inbox or the case view; both refresh what shows the case. */
export function useCaseActions() {
  const qc = useQueryClient();
  const toast = useToast();
  const refresh = (id: string) => {
    void qc.invalidateQueries({ queryKey: keys.allCases });
    void qc.invalidateQueries({ queryKey: keys.case(id) });
  };
  const assign = useMutation({
    mutationFn: (v: {
      id: string;
      number?: number;
      userId?: string | null;
      teamId?: string | null;
      label: string;
    }) =>
      api.post<CaseSummary>(`/cases/${v.id}/assign`, {
        ...(v.userId !== undefined ? { userId: v.userId } : {}),
        ...(v.teamId !== undefined ? { teamId: v.teamId } : {}),
      }),
    onSuccess: (_r, v) => {
      toast.show(`Case${v.number ? ` #${v.number}` : ''} assigned to ${v.label}`);
      refresh(v.id);
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  const setStatus = useMutation({
    mutationFn: (v: { id: string; number?: number; status: CaseStatus }) =>
      api.post<CaseSummary>(`/cases/${v.id}/status`, { status: v.status }),
    onSuccess: (_r, v) => {
      toast.show(
        `Case${v.number ? ` #${v.number}` : ''} ${v.status === 'open' ? 'reopened' : `marked ${v.status}`}`,
      );
      refresh(v.id);
    },
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  return { assign, setStatus, refresh };
}
