import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useRouterState } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { api, errorMessage } from '../api/client.ts';
import { useLiveStatus } from '../api/live.ts';
import { keys } from '../api/queries.ts';
import type { User } from '../api/types.ts';
import { useToast } from '../components/toast.tsx';
import { useHotkeys } from '../lib/hotkeys.ts';
import { abilities, useSignOut } from './session.ts';
import { ShortcutsDialog } from './shortcuts-dialog.tsx';

type NavItem = {
  to: '/inbox' | '/listening' | '/incidents' | '/handover' | '/dashboard' | '/admin';
  label: string;
  icon: string;
};

function navFor(user: User): NavItem[] {
  const can = abilities(user.role);
  const items: NavItem[] = [];
  if (can.read) items.push({ to: '/inbox', label: 'Inbox', icon: '▤' });
  if (can.manage || can.work) items.push({ to: '/listening', label: 'Listening', icon: '◎' });
  if (can.read) items.push({ to: '/incidents', label: 'Incidents', icon: '⚑' });
  items.push({ to: '/handover', label: can.contributor ? 'My items' : 'Hand over', icon: '⇢' });
  if (can.read) items.push({ to: '/dashboard', label: 'Dashboard', icon: '▥' });
  if (can.manage) items.push({ to: '/admin', label: 'Admin', icon: '⚙' });
  return items;
}

/** The frame of every signed-in screen: navigation, who is signed in, the live connection state. */
export function AppShell({ user, children }: { user: User; children: ReactNode }) {
  const [help, setHelp] = useState(false);
  const path = useRouterState({ select: (s) => s.location.pathname });
  useHotkeys({ '?': () => setHelp(true) });
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Earshot</span>
        </div>
        <ul className="nav-list">
          {navFor(user).map((item) => {
            const active =
              path === item.to ||
              path.startsWith(`${item.to}/`) ||
              (item.to === '/inbox' && path.startsWith('/cases/'));
            return (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className={active ? 'nav-link active' : 'nav-link'}
                  aria-current={active ? 'page' : undefined}
                >
                  <span className="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  {item.label}
                </Link>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-foot">
          <LiveIndicator />
          <button type="button" className="link-btn" onClick={() => setHelp(true)}>
            Keyboard shortcuts <kbd>?</kbd>
          </button>
          <UserMenu user={user} />
        </div>
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <ShortcutsDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}

function LiveIndicator() {
  const status = useLiveStatus();
  const label =
    status === 'open' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline — reconnecting';
  return (
    <p
      className={`live live-${status}`}
      role="status"
      title="New cases and changes arrive without reloading while live"
    >
      <span className="live-dot" aria-hidden="true" />
      {label}
    </p>
  );
}

function UserMenu({ user }: { user: User }) {
  const signOut = useSignOut();
  const qc = useQueryClient();
  const toast = useToast();
  const availability = useMutation({
    mutationFn: (a: User['availability']) => api.post('/auth/availability', { availability: a }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.me }),
    onError: (e) => toast.show(errorMessage(e), 'danger'),
  });
  return (
    <div className="user-menu">
      <div className="user-id">
        <span className="avatar" aria-hidden="true">
          {(user.name ?? user.email).slice(0, 1).toUpperCase()}
        </span>
        <span>
          <span className="user-name">{user.name ?? user.email}</span>
          <span className="user-role">{user.role}</span>
        </span>
      </div>
      <label className="visually-hidden" htmlFor="availability">
        Availability
      </label>
      <select
        id="availability"
        className="input select input-sm"
        value={user.availability}
        onChange={(e) => availability.mutate(e.target.value as User['availability'])}
      >
        <option value="online">Online</option>
        <option value="away">Away</option>
        <option value="offline">Offline</option>
      </select>
      <button type="button" className="btn btn-ghost btn-sm" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}
