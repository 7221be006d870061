import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  color: string;
  values: ReadonlyArray<number | null>;
}

interface Props {
  testId: string;
  /** X values: seconds since the epoch for a time axis, or category positions (0, 1, 2…) for bars. */
  xs: readonly number[];
  series: readonly ChartSeries[];
  kind: 'lines' | 'steps' | 'bars';
  /** Tick labels of the y axis. */
  yLabel: (v: number) => string;
  /** For bars: the label under each bar. */
  categories?: readonly string[];
  height?: number;
}

const AXIS = { stroke: '#98a6b5', grid: { stroke: '#2a3746' } };

/** One uPlot chart of the statistics: lines over time, a step line, or bars per member. */
export function StatsChart({ testId, xs, series, kind, yLabel, categories, height = 180 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || xs.length === 0) return;
    const paths =
      kind === 'bars'
        ? uPlot.paths.bars?.({ size: [0.6, 48] })
        : kind === 'steps'
          ? uPlot.paths.stepped?.({ align: 1 })
          : undefined;
    const u = new uPlot(
      {
        width: el.clientWidth || 480,
        height,
        legend: { show: series.length > 1 },
        cursor: { show: kind !== 'bars' },
        scales: {
          x: kind === 'bars' ? { time: false, range: [-0.5, xs.length - 0.5] } : { time: true },
          // Counts and durations start at zero, so that bars compare by their height.
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [
          kind === 'bars'
            ? { ...AXIS, splits: () => xs.map((_, i) => i), values: () => [...(categories ?? [])] }
            : AXIS,
          { ...AXIS, size: 64, values: (_, ticks) => ticks.map(yLabel) },
        ],
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(kind === 'bars' && { fill: `${s.color}cc` }),
            ...(paths && { paths }),
            spanGaps: false,
          })),
        ],
      },
      [xs as number[], ...series.map((s) => s.values as (number | null)[])],
      el,
    );
    return () => u.destroy();
  }, [xs, series, kind, yLabel, categories, height]);
  return <div className="stats-chart" ref={box} data-testid={testId} />;
}
