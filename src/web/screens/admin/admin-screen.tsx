import { Link } from '@tanstack/react-router';
import { adminRoute } from '../../app/router.tsx';
import { abilities, useUser } from '../../app/session.ts';
import { PageHeader } from '../../components/page.tsx';
import { EmptyState } from '../../components/states.tsx';
import { AuditSection } from './audit-section.tsx';
import { ChannelsSection } from './channels-section.tsx';
import { PrioritySection } from './priority-section.tsx';
import { RoutingSection } from './routing-section.tsx';
import { TeamsSection } from './teams-section.tsx';
import { TemplatesSection } from './templates-section.tsx';
import { UsersSection } from './users-section.tsx';

const SECTIONS = [
  { id: 'users', label: 'Users and roles', adminOnly: false, Component: UsersSection },
  { id: 'teams', label: 'Teams and queues', adminOnly: false, Component: TeamsSection },
  { id: 'routing', label: 'Routing rules', adminOnly: false, Component: RoutingSection },
  { id: 'channels', label: 'Channels', adminOnly: false, Component: ChannelsSection },
  { id: 'templates', label: 'Templates', adminOnly: false, Component: TemplatesSection },
  { id: 'priority', label: 'Priority policy', adminOnly: false, Component: PrioritySection },
  { id: 'audit', label: 'Audit log', adminOnly: true, Component: AuditSection },
] as const;

/** Administration: who works here, how work is queued and routed, channels, templates, policy, audit. */
export function AdminScreen() {
  const me = useUser();
  const can = abilities(me.role);
  const { section } = adminRoute.useParams();
  const visible = SECTIONS.filter((s) => !s.adminOnly || can.admin);
  const current = visible.find((s) => s.id === section);
  if (!can.manage) {
    return (
      <div className="screen">
        <EmptyState title="Administration is for managers and admins" />
      </div>
    );
  }
  return (
    <div className="screen">
      <PageHeader
        title="Admin"
        subtitle={
          can.admin
            ? 'You are an admin: every setting is yours to change.'
            : 'Managers change teams, routing and templates; admins change users, channels and the policy.'
        }
      />
      <div className="admin">
        <nav className="subnav" aria-label="Admin sections">
          {visible.map((s) => (
            <Link
              key={s.id}
              to="/admin/$section"
              params={{ section: s.id }}
              className={s.id === section ? 'nav-link active' : 'nav-link'}
              aria-current={s.id === section ? 'page' : undefined}
            >
              {s.label}
            </Link>
          ))}
        </nav>
        <div className="stack">
          {current ? <current.Component isAdmin={can.admin} /> : <EmptyState title="No such section" />}
        </div>
      </div>
    </div>
  );
}
