import { PageHeader } from '../../components/page.tsx';

export function ListeningScreen() {
  return (
    <div className="screen">
      <PageHeader title="Listening" />
    </div>
  );
}
