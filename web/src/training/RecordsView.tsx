import type { TrainingProps } from './TrainingArea.tsx';

export function RecordsView(_props: TrainingProps) {
  return <p className="muted">Coming soon.</p>;
}
