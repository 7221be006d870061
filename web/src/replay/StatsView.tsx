import { useMemo } from 'react';
import { formatDuration } from '../../../src/domain/duration.ts';
import { formatDistance } from '../../../src/domain/geo.ts';
import { replayStats } from '../../../src/domain/operation-stats.ts';
import { clockTime } from '../shared/time.ts';
import { type ChartSeries, StatsChart } from './StatsChart.tsx';
import type { LoadedReplay } from './use-replay.ts';

interface Props {
  replay: LoadedReplay;
  colors: ReadonlyMap<string, string>;
}

const FALLBACK = '#9fb3c8';
const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms / 1000));
/** Seconds on an axis: tenths below ten seconds, where rounding would give two ticks the same label. */
const seconds = (v: number) => (v < 10 ? `${v.toFixed(1)} s` : formatDuration(v));
const count = (v: number) => String(Math.round(v));

/** The operation's figures: a table per member, its alerts, and the plots people would rather look at. */
export function StatsView({ replay, colors }: Props) {
  const stats = useMemo(() => replayStats(replay.raw, replay.tracks), [replay]);
  const color = (id: string) => colors.get(id) ?? FALLBACK;
  const acked = stats.members.filter((m) => m.ackAfterMs !== null);
  const ackBars = useMemo<ChartSeries[]>(
    () => [
      { label: 'acknowledged after', color: '#f7b32b', values: acked.map((m) => (m.ackAfterMs ?? 0) / 1000) },
    ],
    [acked],
  );
  const accounted = useMemo(
    () => ({
      xs: [replay.fromMs, ...stats.accounted.timesMs, replay.toMs].map((t) => t / 1000),
      series: [
        {
          label: 'accounted for',
          color: '#3ecf8e',
          values: [0, ...stats.accounted.values, stats.accounted.values.at(-1) ?? 0],
        },
      ],
    }),
    [stats, replay],
  );
  const toBase = useMemo(
    () => ({
      xs: stats.toBase.timesMs.map((t) => t / 1000),
      series: stats.members.map((m, i) => ({
        label: m.callsign,
        color: colors.get(m.memberId) ?? FALLBACK,
        values: stats.toBase.metres[i] ?? [],
      })),
    }),
    [stats, colors],
  );

  return (
    <div className="replay-stats" data-testid="replay-stats">
      <dl className="stats-summary">
        <div>
          <dt>Duration</dt>
          <dd data-testid="stats-duration">{dur(stats.durationMs)}</dd>
        </div>
        <div>
          <dt>Turned real</dt>
          <dd data-testid="stats-real-at">
            {stats.realAtMs === null ? 'never (exercise only)' : clockTime(stats.realAtMs)}
          </dd>
        </div>
        <div>
          <dt>All accounted for after</dt>
          <dd data-testid="stats-all-accounted">{dur(stats.allAccountedAfterMs)}</dd>
        </div>
        <div>
          <dt>Alerts</dt>
          <dd>{stats.alerts.length}</dd>
        </div>
      </dl>
      <table className="stats-table" data-testid="stats-members">
        <thead>
          <tr>
            <th>Member</th>
            <th>Moved</th>
            <th>Acknowledged after</th>
            <th>Accounted after</th>
            <th>Stale</th>
            <th>Separated</th>
            <th>Unaccounted</th>
          </tr>
        </thead>
        <tbody>
          {stats.members.map((m) => (
            <tr key={m.memberId} data-testid="stats-member" data-callsign={m.callsign}>
              <td>
                <span className="swatch" style={{ background: color(m.memberId) }} />
                {m.callsign}
              </td>
              <td>{formatDistance(m.distanceM)}</td>
              <td>{dur(m.ackAfterMs)}</td>
              <td>{dur(m.accountedAfterMs)}</td>
              <td>{dur(m.staleMs)}</td>
              <td>{dur(m.separatedMs)}</td>
              <td>{dur(m.unaccountedMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="stats-charts">
        <section>
          <h4>Acknowledgement of the real alert, per member</h4>
          {acked.length > 0 ? (
            <StatsChart
              testId="stats-ack-chart"
              kind="bars"
              xs={acked.map((_, i) => i)}
              categories={acked.map((m) => m.callsign)}
              series={ackBars}
              yLabel={seconds}
            />
          ) : (
            <p className="muted">Nobody acknowledged a real alert in this window.</p>
          )}
        </section>
        <section>
          <h4>Members accounted for</h4>
          {stats.accounted.timesMs.length > 0 ? (
            <StatsChart
              testId="stats-accounted-chart"
              kind="steps"
              xs={accounted.xs}
              series={accounted.series}
              yLabel={count}
            />
          ) : (
            <p className="muted">No roll call in this window.</p>
          )}
        </section>
        <section className="wide">
          <h4>Distance to the base</h4>
          {toBase.xs.length > 0 ? (
            <StatsChart
              testId="stats-base-chart"
              kind="lines"
              xs={toBase.xs}
              series={toBase.series}
              yLabel={formatDistance}
              height={220}
            />
          ) : (
            <p className="muted">The team has no base set: set it in Settings to plot it.</p>
          )}
        </section>
      </div>
      <table className="stats-table" data-testid="stats-alerts">
        <thead>
          <tr>
            <th>Alert</th>
            <th>Mode</th>
            <th>Raised</th>
            <th>Acknowledged</th>
            <th>First</th>
            <th>Median</th>
          </tr>
        </thead>
        <tbody>
          {stats.alerts.map((a) => (
            <tr key={a.id} className={a.mode === 'real' ? 'real' : ''}>
              <td>{a.type.replace('_', ' ')}</td>
              <td>{a.mode === 'real' ? 'REAL' : 'EXERCISE'}</td>
              <td>{clockTime(a.raisedAtMs)}</td>
              <td>{a.acknowledged}</td>
              <td>{dur(a.firstAckMs)}</td>
              <td>{dur(a.medianAckMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
