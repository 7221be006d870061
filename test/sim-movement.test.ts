import { describe, expect, it } from 'vitest';
import { distanceM, type Point } from '../src/domain/geo.ts';
import { GPS_START, type GpsOptions, offsetM, readFix } from '../src/sim/gps.ts';
import { advance, createWalker, type Gait, goTo, SPEED_MPS, type Walker } from '../src/sim/movement.ts';
import { createRng, type Rng, uniform } from '../src/sim/random.ts';
import { fromHaleHouse, HALE_HOUSE } from '../src/sim/terrain.ts';

/** A walker sent from leg to leg for `seconds`, sampled every `dtS`. */
function track(gait: Gait, seconds: number, rng: Rng, dtS = 1): Walker[] {
  let w = goTo(createWalker(HALE_HOUSE), [], gait, rng);
  const out: Walker[] = [w];
  for (let t = 0; t < seconds; t += dtS) {
    if (w.waypoints.length === 0) {
      const legs = Array.from({ length: 3 }, () =>
        fromHaleHouse(uniform(rng, 0, 360), uniform(rng, 50, 800)),
      );
      w = goTo(w, legs, gait, rng);
    }
    w = advance(w, dtS, rng);
    out.push(w);
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

describe('the movement model', () => {
  it.each(['walk', 'run'] as const)('keeps a %s within human speeds', (gait) => {
    const samples = track(gait, 4 * 3600, createRng(7));
    const speeds = samples.map((w) => w.speedMps);
    const range = SPEED_MPS[gait];
    expect(Math.max(...speeds)).toBeLessThanOrEqual(range.max + 1e-9);
    expect(Math.min(...speeds)).toBeGreaterThanOrEqual(0);
    // Moving at pace most of the time: speed-ups, stops and sharp turns are the exceptions.
    const moving = speeds.filter((s) => s > 0.2);
    const atPace = moving.filter((s) => s >= range.min - 1e-9).length / moving.length;
    expect(atPace).toBeGreaterThan(0.8);
    expect(median(moving)).toBeGreaterThanOrEqual(range.min);
    expect(median(moving)).toBeLessThanOrEqual(range.max);
  });

  it('stops now and then while walking, and turns gradually', () => {
    const samples = track('walk', 3600, createRng(11));
    const stops = samples.filter((w, i) => w.pauseS > 0 && (samples[i - 1]?.pauseS ?? 0) === 0).length;
    expect(stops).toBeGreaterThan(10);
    for (let i = 1; i < samples.length; i++) {
      const a = samples[i - 1] as Walker;
      const b = samples[i] as Walker;
      const turn = Math.abs(((b.headingDeg - a.headingDeg + 540) % 360) - 180);
      expect(turn).toBeLessThanOrEqual(90 + 1e-6);
    }
  });

  it('moves continuously: no step longer than the speed allows', () => {
    const rng = createRng(3);
    for (const dtS of [1, 5, 30]) {
      const samples = track('run', 1800, rng, dtS);
      for (let i = 1; i < samples.length; i++) {
        const d = distanceM((samples[i - 1] as Walker).pos, (samples[i] as Walker).pos);
        expect(d).toBeLessThanOrEqual(SPEED_MPS.run.max * dtS + 1e-6);
      }
    }
  });

  it('reaches its waypoint and stays there', () => {
    const rng = createRng(5);
    const target = fromHaleHouse(315, 600);
    let w = goTo(createWalker(HALE_HOUSE), [target], 'run', rng);
    let t = 0;
    while (w.waypoints.length > 0 && t < 1200) {
      w = advance(w, 1, rng);
      t++;
    }
    expect(distanceM(w.pos, target)).toBeLessThan(5);
    // 600 m at a run, winding a little: two to five minutes.
    expect(t).toBeGreaterThan(600 / SPEED_MPS.run.max);
    expect(t).toBeLessThan(300);
    const there = w.pos;
    w = advance(w, 60, rng);
    expect(distanceM(w.pos, there)).toBeLessThan(1);
  });
});

describe('the GPS model', () => {
  const still = createWalker(HALE_HOUSE);

  it.each([2, 5, 12])('scatters fixes with the configured spread (σ = %i m)', (sigmaM) => {
    const rng = createRng(sigmaM);
    const opts: GpsOptions = { sigmaM, lostFixP: 0, maxLostFixes: 1 };
    const north: number[] = [];
    const east: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const { fix } = readFix(still, GPS_START, opts, rng);
      if (!fix) throw new Error('no fix with lostFixP 0');
      const o = offsetM(HALE_HOUSE, fix);
      north.push(o.northM);
      east.push(o.eastM);
    }
    for (const xs of [north, east]) {
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
      const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
      expect(Math.abs(mean)).toBeLessThan(sigmaM * 0.1);
      expect(std).toBeGreaterThan(sigmaM * 0.85);
      expect(std).toBeLessThan(sigmaM * 1.15);
    }
  });

  it('loses a fix now and then, for a few fixes at most', () => {
    const rng = createRng(9);
    const opts: GpsOptions = { sigmaM: 4, lostFixP: 0.05, maxLostFixes: 3 };
    let state = GPS_START;
    let lost = 0;
    let run = 0;
    let longest = 0;
    for (let i = 0; i < 5000; i++) {
      const r = readFix(still, state, opts, rng);
      state = r.state;
      if (r.fix) run = 0;
      else {
        lost++;
        longest = Math.max(longest, ++run);
      }
    }
    expect(lost / 5000).toBeGreaterThan(0.05);
    expect(lost / 5000).toBeLessThan(0.2);
    expect(longest).toBeLessThanOrEqual(3);
  });

  it('keeps a noisy track continuous: no jump beyond speed × time plus noise', () => {
    const rng = createRng(21);
    const opts: GpsOptions = { sigmaM: 4, lostFixP: 0.03, maxLostFixes: 3 };
    let state = GPS_START;
    let last: { p: Point; t: number } | undefined;
    const samples = track('run', 1800, rng, 5);
    for (const [i, w] of samples.entries()) {
      const r = readFix(w, state, opts, rng);
      state = r.state;
      if (!r.fix) continue;
      const t = i * 5;
      if (last) {
        // Two independent errors of σ per axis: 6 σ covers the difference with room to spare.
        expect(distanceM(last.p, r.fix)).toBeLessThanOrEqual(
          SPEED_MPS.run.max * (t - last.t) + 6 * opts.sigmaM,
        );
      }
      last = { p: r.fix, t };
    }
  });
});
