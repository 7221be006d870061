import { memo, useEffect, useRef } from 'react';
import { eventLine } from '../../../src/domain/replay-events.ts';
import { clockTime } from '../shared/time.ts';
import type { LoadedReplay } from './use-replay.ts';

interface Props {
  listed: LoadedReplay['listed'];
  /** Index in `listed` of the last event at or before the moment shown, -1 before the first. */
  current: number;
  callsign: (memberId: string | null | undefined) => string;
  onJump: (tMs: number) => void;
}

/** Alerts, acknowledgements, roll-call answers, injects, casualties, messages, STARTEX/ENDEX and escalation. */
export const EventList = memo(function EventList({ listed, current, callsign, onJump }: Props) {
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const row = list.current?.querySelector<HTMLElement>(`[data-index="${Math.max(0, current)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  if (listed.length === 0)
    return <p className="muted replay-events-empty">Nothing was logged in this window.</p>;
  return (
    <ol className="replay-events" ref={list} data-testid="replay-events">
      {listed.map(({ event, kind }, i) => (
        <li
          key={event.seq}
          data-index={i}
          data-testid="replay-event"
          data-current={i === current ? 'true' : undefined}
          className={`replay-event kind-${kind} mode-${event.mode} ${i === current ? 'current' : ''} ${
            i > current ? 'later' : ''
          }`}
        >
          <button type="button" onClick={() => onJump(event.timeMs)}>
            <time>{clockTime(event.timeMs)}</time>
            <span className="replay-event-line">{eventLine(event, callsign)}</span>
          </button>
        </li>
      ))}
    </ol>
  );
});
