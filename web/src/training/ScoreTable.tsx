import type { Drill, DrillScore } from '../../../src/contract/drills.ts';
import type { Member } from '../../../src/contract/members.ts';
import { trailColour } from './DrillMap.tsx';
import { clockTime, formatDistance, formatDuration, metres, percent } from './drill-format.ts';

interface Props {
  drill: Drill;
  members: readonly Member[];
}

type Row = [label: string, value: (s: DrillScore) => string];

const ROWS: Row[] = [
  [
    'Time to find',
    (s) =>
      s.timeToFindS === null
        ? 'not found'
        : `${formatDuration(s.timeToFindS)} (${s.findSource === 'given' ? 'button' : 'detected'})`,
  ],
  ['Trail length', (s) => formatDistance(s.trailLengthM)],
  ['Distance walked', (s) => formatDistance(s.trackerDistanceM)],
  ['Ratio', (s) => (s.distanceRatio === null ? '—' : `${s.distanceRatio.toFixed(2)} ×`)],
  ['Trail followed', (s) => `${percent(s.shareFollowed)} (≤ ${s.toleranceM} m)`],
  ['Followed (smooth)', (s) => percent(s.shareFollowedSmooth)],
  ['Deviation mean', (s) => metres(s.deviationMeanM)],
  ['Deviation 95 %', (s) => metres(s.deviationP95M)],
  ['Deviation max', (s) => metres(s.deviationMaxM)],
  ['Moving / stopped', (s) => `${formatDuration(s.movingS)} / ${formatDuration(s.stoppedS)}`],
  ['Lost the trail', (s) => (s.lostSegments.length === 0 ? 'never' : `${s.lostSegments.length} ×`)],
];

/** The scores of each tracker side by side, with where they lost and regained the trail. */
export function ScoreTable({ drill, members }: Props) {
  const callsign = (id: string) => members.find((m) => m.id === id)?.callsign ?? '?';
  const results = drill.results;
  if (!results.some((r) => r.score)) {
    return (
      <div className="score-table-wrap score-table-empty" data-testid="score-table">
        <p className="muted">No scores yet.</p>
        <ul>
          {results.map((r) => (
            <li key={r.trackerId}>
              <span
                className="trail-swatch"
                style={{ background: trailColour(r.trackerId, false, drill.trackerIds) }}
              />
              <strong>{callsign(r.trackerId)}</strong>{' '}
              <span className="muted">{r.problem ?? 'no track yet'}</span>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="score-table-wrap">
      <table className="score-table" data-testid="score-table">
        <thead>
          <tr>
            <th />
            {results.map((r) => (
              <th key={r.trackerId}>
                <span
                  className="trail-swatch"
                  style={{ background: trailColour(r.trackerId, false, drill.trackerIds) }}
                />
                <a href={`#/records/${r.trackerId}`} title="Training record and progress">
                  {callsign(r.trackerId)}
                </a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROWS.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {results.map((r) => (
                <td
                  key={r.trackerId}
                  data-testid={`score-${label.toLowerCase().replaceAll(/[^a-z]+/g, '-')}`}
                >
                  {r.score ? value(r.score) : <span className="muted">{r.problem ?? '—'}</span>}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {results.flatMap((r) =>
        (r.score?.lostSegments ?? []).map((l) => (
          <p key={`${r.trackerId}-${l.startMs}`} className="lost-segment muted">
            {callsign(r.trackerId)} lost the trail {clockTime(l.startMs)}–{clockTime(l.endMs)} (
            {formatDuration((l.endMs - l.startMs) / 1000)}, up to {metres(l.maxDeviationM)})
            {l.regained ? ', regained' : ', not regained'}
          </p>
        )),
      )}
    </div>
  );
}
