import { PageHeader } from '../../components/page.tsx';

export function IncidentsScreen() {
  return (
    <div className="screen">
      <PageHeader title="Incidents" />
    </div>
  );
}
