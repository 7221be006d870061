import 'uplot/dist/uPlot.min.css';
import './drills.css';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import type { Progress, ProgressMeasure } from '../../../src/contract/drills.ts';
import type { Skill } from '../../../src/contract/training.ts';
import { useProgress } from './use-drills.ts';

interface MeasureView {
  measure: ProgressMeasure;
  title: string;
  unit: string;
  /** From the stored value to the charted one. */
  scale: (v: number) => number;
  better: 'higher' | 'lower';
}

const MEASURES: MeasureView[] = [
  { measure: 'shareFollowed', title: 'Trail followed', unit: '%', scale: (v) => v * 100, better: 'higher' },
  { measure: 'meanDeviationM', title: 'Mean deviation', unit: 'm', scale: (v) => v, better: 'lower' },
  { measure: 'timeToFindS', title: 'Time to find', unit: 'min', scale: (v) => v / 60, better: 'lower' },
];
const DAY_S = 86_400;

interface Props {
  memberId: string;
  /** Only the drills that practised this skill; null or absent: every scored drill. */
  skillId?: string | null;
  /** The catalogue, for the skill selector; without `onSkill` there is none. */
  skills?: readonly Skill[];
  onSkill?: (skillId: string | null) => void;
  /** Loads again when this changes (a drill was scored). */
  refreshKey?: number;
}

/** A member's drill scores over time: one chart per measure with the points, the trend and the personal best. */
export function ProgressChart({ memberId, skillId, skills = [], onSkill, refreshKey = 0 }: Props) {
  const { data, error } = useProgress(memberId, skillId, refreshKey);
  const skillName = skills.find((s) => s.id === skillId)?.name;
  return (
    <section className="progress" data-testid="progress-chart">
      <header className="progress-head">
        <h2>Progress as a tracker</h2>
        {data && (
          <span className="muted" data-testid="progress-points">
            {data.points.length} scored drill{data.points.length === 1 ? '' : 's'}
            {skillName ? ` in ${skillName}` : ''}
          </span>
        )}
        {onSkill && skills.length > 0 && (
          <label className="progress-skill">
            Skill
            <select
              value={skillId ?? ''}
              data-testid="progress-skill"
              onChange={(e) => onSkill(e.target.value || null)}
            >
              <option value="">All drills</option>
              {skills.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {error && <p className="form-error">{error}</p>}
      {!data && !error && <p className="muted">Loading progress…</p>}
      {data && data.points.length === 0 && (
        <p className="muted">
          {skillName ? `No scored drills practising ${skillName} yet.` : 'No scored drills yet.'}
        </p>
      )}
      {data && data.points.length > 0 && (
        <div className="progress-charts">
          {MEASURES.map((m) => (
            <MeasureChart key={m.measure} progress={data} view={m} />
          ))}
        </div>
      )}
    </section>
  );
}

function MeasureChart({ progress, view }: { progress: Progress; view: MeasureView }) {
  const box = useRef<HTMLDivElement>(null);
  const summary = progress.measures.find((m) => m.measure === view.measure);
  const series = useMemo(() => chartData(progress, view), [progress, view]);
  useEffect(() => {
    const el = box.current;
    if (!el || series.xs.length === 0) return;
    const plot = new uPlot(
      chartOptions(view, el.clientWidth || 320),
      [series.xs, series.ys, series.trend, series.best],
      el,
    );
    return () => plot.destroy();
  }, [series, view]);
  const trend = summary?.trendPer30Days;
  return (
    <figure className="progress-chart">
      <figcaption>
        <strong>
          {view.title} ({view.unit})
        </strong>
        {summary?.best && (
          <span>
            best {view.scale(summary.best.value).toFixed(1)} {view.unit}
          </span>
        )}
        {trend !== null && trend !== undefined && <Trend perMonth={view.scale(trend)} view={view} />}
      </figcaption>
      {series.xs.length === 0 ? (
        <p className="muted">No finds yet.</p>
      ) : (
        <div ref={box} className="progress-plot" />
      )}
    </figure>
  );
}

/** The points (x: epoch seconds), the trend line through them and the best alone, for uPlot. */
function chartData(p: Progress, view: MeasureView) {
  const summary = p.measures.find((m) => m.measure === view.measure);
  const points = p.points.filter((x) => x[view.measure] !== null);
  const xs = points.map((x) => Date.parse(x.time) / 1000);
  const ys = points.map((x) => view.scale(x[view.measure] as number));
  const slopePerS =
    summary?.trendPer30Days == null ? null : view.scale(summary.trendPer30Days) / (30 * DAY_S);
  const mx = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  const my = ys.reduce((a, b) => a + b, 0) / (ys.length || 1);
  const trend = xs.map((x) => (slopePerS === null ? null : my + slopePerS * (x - mx)));
  const best = points.map((x, i) => (summary?.best?.drillId === x.drillId ? (ys[i] as number) : null));
  return { xs, ys, trend, best };
}

/**
 * The x range: the drills' span with room on both sides, at least three days, so one drill does not stretch over
 * years. From the data, not the current range: uPlot ranges the scale again on every redraw.
 */
function padded(u: uPlot): uPlot.Range.MinMax {
  const xs = u.data[0];
  const min = xs[0] ?? 0;
  const max = xs[xs.length - 1] ?? min;
  const pad = Math.max((max - min) * 0.08, 3 * DAY_S);
  return [min - pad, max + pad];
}

/** The trend per 30 days, green when it goes the better way, red when the worse, plain when flat. */
function Trend({ perMonth, view }: { perMonth: number; view: MeasureView }) {
  const shown = Math.abs(perMonth).toFixed(1);
  if (Number(shown) === 0) return <span className="muted">→ steady</span>;
  const better = view.better === 'higher' ? perMonth > 0 : perMonth < 0;
  return (
    <span className={better ? 'trend-good' : 'trend-bad'} data-testid={`trend-${view.measure}`}>
      {perMonth > 0 ? '▲' : '▼'} {shown} {view.unit} / 30 days
    </span>
  );
}

/** From zero to a little above the highest value (a deviation or a time is never negative). */
function fromZero(u: uPlot): uPlot.Range.MinMax {
  const ys = (u.data[1] ?? []).filter((v): v is number => typeof v === 'number');
  return [0, Math.max(1, ...ys) * 1.15];
}

function chartOptions(view: MeasureView, width: number): uPlot.Options {
  return {
    width: Math.max(240, Math.min(width, 520)),
    height: 170,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: padded },
      y: { range: view.measure === 'shareFollowed' ? [0, 100] : fromZero },
    },
    axes: [
      { stroke: '#98a6b5', grid: { stroke: '#2a3746' }, ticks: { stroke: '#2a3746' } },
      { stroke: '#98a6b5', grid: { stroke: '#2a3746' }, ticks: { stroke: '#2a3746' }, size: 52 },
    ],
    series: [
      {},
      // Points only: the dashed line is the trend, not a path between drills.
      {
        label: view.title,
        stroke: '#6c9cff',
        paths: () => null,
        points: { show: true, size: 9, fill: '#6c9cff' },
      },
      { label: 'trend', stroke: '#98a6b5', width: 1, dash: [6, 4], points: { show: false }, spanGaps: true },
      {
        label: 'personal best',
        stroke: '#f7b32b',
        width: 0,
        points: { show: true, size: 14, stroke: '#f7b32b', fill: 'transparent', width: 2 },
      },
    ],
  };
}
