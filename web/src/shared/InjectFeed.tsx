import type { Inject } from '../../../src/contract/operations.ts';
import { notificationText } from '../../../src/domain/mode.ts';
import { clockTime } from './time.ts';

interface Props {
  injects: readonly Inject[];
  /** Newest first, at most this many. */
  limit?: number;
}

/** Delivered scenario injects: exercise traffic, always marked as such. */
export function InjectFeed({ injects, limit = 20 }: Props) {
  const shown = [...injects].reverse().slice(0, limit);
  return (
    <ol className="inject-feed" data-testid="inject-feed">
      {shown.length === 0 && <li className="inject-empty">No exercise messages yet.</li>}
      {shown.map((i) => (
        <li key={i.id} className="inject" data-testid="inject">
          <span className="inject-time">{i.deliveredAt ? clockTime(i.deliveredAt) : ''}</span>
          <span className="inject-text">{notificationText('exercise', i.message)}</span>
        </li>
      ))}
    </ol>
  );
}
