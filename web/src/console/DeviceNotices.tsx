import type { DeviceNotice } from '../../../src/contract/device-notices.ts';
import { EXERCISE_PREFIX } from '../../../src/domain/mode.ts';
import type { TeamState } from '../shared/team-state.ts';
import { shortTime } from '../shared/time.ts';

/** One line for a device's notice, e.g. "left region Home", "connection lost", "battery low (12 %)". */
export function noticeText(n: DeviceNotice): string {
  switch (n.kind) {
    case 'region': {
      const where = n.operationArea ? 'the exercise area' : n.region ? `region “${n.region}”` : 'a region';
      return `${n.event === 'enter' ? 'entered' : 'left'} ${where}`;
    }
    case 'connection_lost':
      return 'app lost its connection to the broker';
    case 'low_battery':
      return `battery low${n.battery === null ? '' : ` (${Math.round(n.battery)} %)`}`;
    case 'alarm':
      return `device alarm “${n.alarm}”`;
  }
}

/** What members' devices reported besides positions and alerts, since the page opened. */
export function DeviceNotices({ notices }: { notices: TeamState['notices'] }) {
  if (notices.length === 0) return null;
  return (
    <section className="panel-section device-notices" data-testid="device-notices">
      <h3>Device notices</h3>
      <ul>
        {notices.map(({ seq, mode, notice }) => (
          <li key={seq} className={`notice notice-${mode}`} data-testid="device-notice">
            <time>{shortTime(notice.time)}</time>{' '}
            {mode === 'exercise' && <span className="notice-prefix">{EXERCISE_PREFIX} </span>}
            <b>{notice.callsign}</b> {noticeText(notice)}
            <span className="muted"> · {notice.source}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
