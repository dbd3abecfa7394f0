import { PageHeader } from '../../components/page.tsx';

export function HandoverScreen() {
  return (
    <div className="screen">
      <PageHeader title="Hand over" />
    </div>
  );
}
