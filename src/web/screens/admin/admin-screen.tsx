import { PageHeader } from '../../components/page.tsx';

export function AdminScreen() {
  return (
    <div className="screen">
      <PageHeader title="Admin" />
    </div>
  );
}
