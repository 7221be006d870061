import type { TrainingProps } from './TrainingArea.tsx';

export function DrillsView(_props: TrainingProps) {
  return <p className="muted">Coming soon.</p>;
}
