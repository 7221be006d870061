import type { TrainingProps } from './TrainingArea.tsx';

export function CalendarView(_props: TrainingProps) {
  return <p className="muted">Coming soon.</p>;
}
