import { PageHeader } from '../../components/page.tsx';

export function DashboardScreen() {
  return (
    <div className="screen">
      <PageHeader title="Dashboard" />
    </div>
  );
}
