import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { keys } from '../../api/queries.ts';
import type { User } from '../../api/types.ts';
import { Button } from '../../components/button.tsx';
import { TextField } from '../../components/field.tsx';
import { Notice } from '../../components/states.tsx';

/** Sign in with e-mail and password; the server sets an httpOnly session cookie. */
export function SignInScreen({ expired = false }: { expired?: boolean }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError('Enter your e-mail address and password');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ user: User }>('/auth/login', { email: email.trim(), password });
      await qc.resetQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      qc.setQueryData(keys.me, res.user);
      await qc.invalidateQueries({ queryKey: keys.me });
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in" id="main">
      <form className="sign-in-card" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
        <div className="brand brand-lg">
          <span className="brand-mark" aria-hidden="true" />
          <span>Earshot</span>
        </div>
        <h1 id="sign-in-title">Sign in to the console</h1>
        {expired ? (
          <Notice tone="warning">Your session has ended. Sign in again to continue where you were.</Notice>
        ) : null}
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error ? (
          <Notice tone="danger" role="alert">
            {error}
          </Notice>
        ) : null}
        <Button type="submit" variant="primary" busy={busy} className="btn-block">
          Sign in
        </Button>
      </form>
    </main>
  );
}
