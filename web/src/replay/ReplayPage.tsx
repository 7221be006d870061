import './replay.css';
import { useCallback, useMemo, useState } from 'react';
import type { ClientConfig } from '../../../src/contract/config.ts';
import type { Me } from '../../../src/contract/sessions.ts';
import { EXERCISE_WORD, REAL_BANNER } from '../../../src/domain/mode.ts';
import { accountabilityAt, eventCountAt, logStateAt } from '../../../src/domain/replay.ts';
import { memberColors } from '../console/member-view.ts';
import { accountedText } from '../shared/incident-view.ts';
import { ModeFrame } from '../shared/ModeFrame.tsx';
import type { TeamState } from '../shared/team-state.ts';
import { clockTime } from '../shared/time.ts';
import { DistanceChart } from './DistanceChart.tsx';
import { EventList } from './EventList.tsx';
import { HotWashView } from './HotWashView.tsx';
import { LiveStrip } from './LiveStrip.tsx';
import { ReplayMap } from './ReplayMap.tsx';
import { ReplayMembers } from './ReplayMembers.tsx';
import { StatsView } from './StatsView.tsx';
import { Timeline } from './Timeline.tsx';
import { usePlayer } from './use-player.ts';
import { type LoadedReplay, type ReplaySource, useReplay } from './use-replay.ts';

interface Props {
  source: ReplaySource;
  config: ClientConfig;
  /** The live team: its members' colours, and what is under way now (shown apart from the replay). */
  state: TeamState;
  me: Me;
}

/** `#/replay/OPERATION_ID` (or a window): the operation replayed on the map, a timeline and the event list. */
export function ReplayPage({ source, config, state, me }: Props) {
  const { replay, error } = useReplay(source);
  return (
    <div className="replay-page" data-testid="replay-page">
      <LiveStrip state={state} />
      {error && (
        <div className="replay-message">
          <p className="form-error" data-testid="replay-error">
            {error}
          </p>
          <a href="#/replay">Back to the replays</a>
        </div>
      )}
      {!error && !replay && <p className="replay-message muted">Loading the replay…</p>}
      {replay && <LoadedReplayView replay={replay} config={config} state={state} me={me} />}
    </div>
  );
}

type View = 'replay' | 'stats' | 'hotwash';
/** The replay's views; the hot wash belongs to an operation (not to a window of time). */
const VIEWS: ReadonlyArray<{ id: View; label: string }> = [
  { id: 'replay', label: 'Replay' },
  { id: 'stats', label: 'Statistics' },
  { id: 'hotwash', label: 'Hot wash' },
];

function titleOf(replay: LoadedReplay): string {
  const ops = replay.raw.operations;
  if (ops.length === 0) return `The team from ${clockTime(replay.fromMs)} to ${clockTime(replay.toMs)}`;
  return ops
    .map((o) => (o.kind === 'incident' ? `${REAL_BANNER}: ${o.name}` : `${EXERCISE_WORD}: ${o.name}`))
    .join(' → ');
}

function LoadedReplayView({
  replay,
  config,
  state,
  me,
}: {
  replay: LoadedReplay;
  config: ClientConfig;
  state: TeamState;
  me: Me;
}) {
  const player = usePlayer(replay.fromMs, replay.toMs);
  const { tMs } = player;
  const [follow, setFollow] = useState<string | null>(null);
  const [pair, setPair] = useState<string[]>([]);
  const [view, setView] = useState<View>('replay');

  // The log's state changes only when an event passes: folded again only then.
  const count = eventCountAt(replay.events, tMs);
  const lastEventMs = replay.events[count - 1]?.timeMs ?? Number.NEGATIVE_INFINITY;
  const log = useMemo(() => logStateAt(replay.events, lastEventMs), [replay.events, lastEventMs]);
  const accountability = accountabilityAt(log.rollCall, tMs);
  const current = useMemo(() => {
    let i = -1;
    while (i + 1 < replay.listed.length && (replay.listed[i + 1]?.event.timeMs ?? 0) <= lastEventMs) i++;
    return i;
  }, [replay.listed, lastEventMs]);

  const colors = useMemo(() => memberColors(state.members), [state.members]);
  const callsign = useCallback(
    (id: string | null | undefined) => (id ? (replay.members.get(id)?.callsign ?? '?') : 'HOWL'),
    [replay.members],
  );
  const active = log.active;
  // A time-out in the past is marked on the timeline and in the status, not laid over the page.
  const frame = active?.state === 'paused' ? { ...active, state: 'running' as const } : active;

  return (
    <>
      <ModeFrame
        operation={frame}
        members={state.members}
        canResume={false}
        onResume={() => undefined}
        realExtra={
          <>
            <span className="replay-banner-tag">REPLAY · {clockTime(tMs)}</span>
            <span className="accounted" data-testid="replay-accounted">
              {accountability ? accountedText(accountability) : 'no roll call yet'}
            </span>
          </>
        }
      />
      <header className="replay-header">
        <a href="#/replay" className="back">
          ← Replays
        </a>
        <h2 data-testid="replay-title">{titleOf(replay)}</h2>
        {replay.raw.operations[0] && (
          <span className="replay-files">
            <a
              href={`/api/operations/${replay.raw.operations[0].id}/report.pdf`}
              download
              data-testid="replay-report-pdf"
            >
              Report (PDF)
            </a>
            <a
              href={`/api/operations/${replay.raw.operations[0].id}/export.csv`}
              download
              data-testid="replay-export-csv"
            >
              Events (CSV)
            </a>
          </span>
        )}
        <div className="replay-tabs">
          {VIEWS.filter((v) => v.id !== 'hotwash' || replay.raw.operations[0]).map((v) => (
            <button
              key={v.id}
              type="button"
              aria-pressed={view === v.id}
              onClick={() => setView(v.id)}
              data-testid={`replay-view-${v.id}`}
            >
              {v.label}
            </button>
          ))}
        </div>
        <span
          className={`replay-mode replay-mode-${log.mode}`}
          data-testid="replay-mode"
          title="The team's mode at this moment"
        >
          REPLAY · {log.mode === 'exercise' ? EXERCISE_WORD : 'REAL'}
          {active?.state === 'paused' ? ' · SAFETY TIME-OUT' : ''}
        </span>
      </header>
      {view === 'stats' && <StatsView replay={replay} colors={colors} />}
      {view === 'hotwash' && replay.raw.operations[0] && (
        <HotWashView operationId={replay.raw.operations[0].id} me={me} members={state.members} />
      )}
      <div className="replay-body" hidden={view !== 'replay'}>
        <main className="replay-main">
          <div className="replay-map-wrap">
            <ReplayMap
              tiles={config.tiles}
              replay={replay}
              player={player}
              colors={colors}
              callsign={callsign}
              follow={follow}
              contacts={log.contacts}
              alerts={log.alerts}
              tMs={tMs}
            />
            {replay.tracks.length === 0 && (
              <p className="replay-empty" data-testid="replay-no-positions">
                No positions were recorded in this window.
              </p>
            )}
          </div>
          <Timeline replay={replay} player={player} />
        </main>
        <aside className="replay-side">
          <h3>Events</h3>
          <EventList listed={replay.listed} current={current} callsign={callsign} onJump={player.seek} />
          <ReplayMembers
            replay={replay}
            colors={colors}
            follow={follow}
            onFollow={setFollow}
            pair={pair}
            onPair={setPair}
          />
          {pair.length === 2 && pair[0] && pair[1] && (
            <DistanceChart replay={replay} a={pair[0]} b={pair[1]} callsign={callsign} tMs={tMs} />
          )}
        </aside>
      </div>
    </>
  );
}
