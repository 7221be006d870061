import 'uplot/dist/uPlot.min.css';
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { distanceM, formatDistance } from '../../../src/domain/geo.ts';
import { distanceSeries, pointAt, sampleStepMs } from '../../../src/domain/replay-tracks.ts';
import type { LoadedReplay } from './use-replay.ts';

interface Props {
  replay: LoadedReplay;
  a: string;
  b: string;
  callsign: (memberId: string) => string;
  tMs: number;
}

/** Distance between two members over the replay, with the moment shown as a line. */
export function DistanceChart({ replay, a, b, callsign, tMs }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const moment = useRef(tMs);
  moment.current = tMs;
  const series = useMemo(() => {
    const ta = replay.tracks.find((t) => t.memberId === a);
    const tb = replay.tracks.find((t) => t.memberId === b);
    if (!ta || !tb) return null;
    const s = distanceSeries(ta, tb, {
      fromMs: replay.fromMs,
      toMs: replay.toMs,
      stepMs: sampleStepMs(replay.fromMs, replay.toMs, 1200),
      staleMs: replay.staleMs,
    });
    return { xs: s.timesMs.map((t) => t / 1000), ys: s.metres };
  }, [replay, a, b]);

  useEffect(() => {
    const el = box.current;
    if (!el || !series) return;
    const u = new uPlot(
      {
        width: el.clientWidth || 320,
        height: 150,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true } },
        axes: [
          { stroke: '#98a6b5', grid: { stroke: '#2a3746' } },
          {
            stroke: '#98a6b5',
            grid: { stroke: '#2a3746' },
            size: 56,
            values: (_, ticks) => ticks.map((v) => formatDistance(v)),
          },
        ],
        series: [{}, { stroke: '#f7b32b', width: 2, spanGaps: false }],
        hooks: {
          draw: [
            (p) => {
              const x = p.valToPos(moment.current / 1000, 'x', true);
              const ctx = p.ctx;
              ctx.save();
              ctx.strokeStyle = '#e8eef4';
              ctx.lineWidth = 1.5;
              ctx.beginPath();
              ctx.moveTo(x, p.bbox.top);
              ctx.lineTo(x, p.bbox.top + p.bbox.height);
              ctx.stroke();
              ctx.restore();
            },
          ],
        },
      },
      [series.xs, series.ys],
      el,
    );
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
  }, [series]);

  useEffect(() => {
    void tMs;
    plot.current?.redraw(false, false);
  }, [tMs]);

  if (!series) return <p className="muted">One of them has no positions in this replay.</p>;
  const now = distanceAt(replay, a, b, tMs);
  return (
    <figure className="replay-distance" data-testid="replay-distance">
      <figcaption>
        Distance {callsign(a)} – {callsign(b)}:{' '}
        <strong data-testid="replay-distance-now">{now == null ? 'unknown' : formatDistance(now)}</strong>
      </figcaption>
      <div ref={box} className="replay-distance-plot" />
    </figure>
  );
}

/** The distance at one moment, where both are known and fresh. */
function distanceAt(replay: LoadedReplay, a: string, b: string, tMs: number): number | null {
  const ta = replay.tracks.find((t) => t.memberId === a);
  const tb = replay.tracks.find((t) => t.memberId === b);
  const pa = ta && pointAt(ta, tMs, replay.staleMs);
  const pb = tb && pointAt(tb, tMs, replay.staleMs);
  return pa && pb && !pa.stale && !pb.stale ? distanceM(pa, pb) : null;
}
