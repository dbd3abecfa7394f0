import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api } from '../api/client.ts';
import { live } from '../api/live.ts';
import { keys, useMe } from '../api/queries.ts';
import type { Role, User } from '../api/types.ts';

/** What each role may do in the console (the server checks again on every request). */
export function abilities(role: Role) {
  return {
    work: role === 'admin' || role === 'manager' || role === 'agent',
    read: role !== 'contributor',
    manage: role === 'admin' || role === 'manager',
    admin: role === 'admin',
    contributor: role === 'contributor',
  };
}

/** The signed-in user; only call below the root layout, which renders nothing else signed out. */
export function useUser(): User {
  const me = useMe();
  if (!me.data) throw new Error('useUser outside a signed-in screen');
  return me.data;
}

export function useSignOut() {
  const qc = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } finally {
      live.stop();
      qc.clear();
      qc.setQueryData(keys.me, null);
    }
  }, [qc]);
}
