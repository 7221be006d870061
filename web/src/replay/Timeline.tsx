import { useEffect, useMemo, useRef } from 'react';
import { formatDuration } from '../../../src/domain/duration.ts';
import { phaseSegments, type ReplayPhase } from '../../../src/domain/replay.ts';
import { clockTime } from '../shared/time.ts';
import type { Player, Speed } from './use-player.ts';
import { SPEEDS } from './use-player.ts';
import type { LoadedReplay } from './use-replay.ts';

const PHASE_WORD: Record<ReplayPhase, string> = {
  none: 'no operation (real)',
  exercise: 'EXERCISE',
  paused: 'EXERCISE · time-out',
  incident: 'REAL WORLD',
};

interface Props {
  replay: LoadedReplay;
  player: Player;
}

/** The timeline under the map: coloured by phase, the events as ticks, the scrubber and the player's buttons. */
export function Timeline({ replay, player }: Props) {
  const { fromMs, toMs, listed } = replay;
  const span = Math.max(1, toMs - fromMs);
  const pct = (t: number) => `${(((t - fromMs) / span) * 100).toFixed(3)}%`;
  const segments = useMemo(() => phaseSegments(replay.events, fromMs, toMs), [replay.events, fromMs, toMs]);
  const ticks = useMemo(() => [...new Set(listed.map((l) => l.event.timeMs))], [listed]);
  const scrubber = useRef<HTMLInputElement>(null);
  const head = useRef<HTMLDivElement>(null);
  const clock = useRef<HTMLSpanElement>(null);

  // The scrubber, the head and the clock follow every frame; React's moment comes a few times a second.
  useEffect(
    () =>
      player.onFrame((t) => {
        if (scrubber.current && document.activeElement !== scrubber.current)
          scrubber.current.value = String(t);
        if (head.current) head.current.style.left = `${((t - fromMs) / span) * 100}%`;
        if (clock.current) clock.current.textContent = clockTime(t);
      }),
    [player.onFrame, fromMs, span],
  );

  const jump = (dir: 1 | -1) => {
    const t = player.now();
    const next = dir > 0 ? ticks.find((x) => x > t + 500) : [...ticks].reverse().find((x) => x < t - 500);
    player.seek(next ?? (dir > 0 ? toMs : fromMs));
  };

  return (
    <div className="replay-timeline" data-testid="replay-timeline">
      <div className="replay-controls">
        <button type="button" onClick={() => jump(-1)} data-testid="replay-prev" title="Previous event">
          ‹ Event
        </button>
        <button
          type="button"
          className="primary replay-play"
          onClick={player.toggle}
          data-testid="replay-play"
          aria-pressed={player.playing}
        >
          {player.playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => jump(1)} data-testid="replay-next" title="Next event">
          Event ›
        </button>
        <label className="replay-speed">
          Speed{' '}
          <select
            value={player.speed}
            onChange={(e) => player.setSpeed(Number(e.target.value) as Speed)}
            data-testid="replay-speed"
          >
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <span className="replay-clock" data-testid="replay-time" ref={clock}>
          {clockTime(player.tMs)}
        </span>
        <span className="muted">
          {formatDuration((player.tMs - fromMs) / 1000)} of {formatDuration(span / 1000)} ·{' '}
          {clockTime(fromMs)}–{clockTime(toMs)}
        </span>
      </div>
      <div className="replay-track">
        <div className="replay-phases" aria-hidden="true">
          {segments.map((s) => (
            <div
              key={s.fromMs}
              className={`replay-phase phase-${s.phase}`}
              style={{ left: pct(s.fromMs), width: `${((s.toMs - s.fromMs) / span) * 100}%` }}
              title={`${PHASE_WORD[s.phase]} · ${clockTime(s.fromMs)}–${clockTime(s.toMs)}`}
              data-testid={`replay-phase-${s.phase}`}
            />
          ))}
          {ticks.map((t) => (
            <span key={t} className="replay-tick" style={{ left: pct(t) }} />
          ))}
          <div className="replay-head" ref={head} style={{ left: pct(player.tMs) }} />
        </div>
        <input
          ref={scrubber}
          type="range"
          className="replay-scrubber"
          min={fromMs}
          max={toMs}
          step={1000}
          defaultValue={player.tMs}
          onInput={(e) => player.seek(Number(e.currentTarget.value))}
          aria-label="Moment of the replay"
          data-testid="replay-scrubber"
        />
      </div>
      <div className="replay-legend">
        {(['exercise', 'paused', 'incident', 'none'] as const)
          .filter((p) => segments.some((s) => s.phase === p && s.toMs - s.fromMs >= 1000))
          .map((p) => (
            <span key={p} className={`replay-legend-item phase-${p}`}>
              {PHASE_WORD[p]}
            </span>
          ))}
      </div>
    </div>
  );
}
