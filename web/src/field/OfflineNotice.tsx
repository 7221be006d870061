import { useState } from 'react';
import { formatAge } from '../../../src/domain/presence.ts';
import type { LiveStatus } from '../shared/live.ts';

interface Props {
  status: LiveStatus;
  /** When the server was last heard from (this visit or an earlier one), in ms. */
  heardAtMs: number | null;
  nowMs: number;
}

/** A first connection gets this long before the page says it is offline. */
const GRACE_MS = 4000;

/** What the page knows while it cannot reach the server: that it is offline, and since when. */
export function OfflineNotice({ status, heardAtMs, nowMs }: Props) {
  const [shownAtMs] = useState(() => Date.now());
  if (status === 'connecting' && nowMs - shownAtMs < GRACE_MS) return null;
  return (
    <section className="card offline-notice" role="status" data-testid="offline-notice">
      <strong>No connection to the Howl server.</strong>{' '}
      {heardAtMs === null
        ? 'Nothing has been heard from it yet on this phone.'
        : `Last heard ${formatAge(heardAtMs, nowMs)} ago: the team below is as it was then.`}{' '}
      Positions taken meanwhile wait on this phone and are sent when the connection returns.
    </section>
  );
}
