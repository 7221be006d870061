import { describe, expect, it } from 'vitest';
import { type ConditionAlertRef, decideConditionAlerts } from './condition-debounce.ts';
import type { ConditionState, ConditionType } from './conditions.ts';

const T0 = 1_800_000_000_000;
const empty: ConditionState = { on: [], band: [], unknown: [] };
const states = (separation: Partial<ConditionState>): Record<ConditionType, ConditionState> => ({
  separation: { ...empty, ...separation },
  no_report: empty,
  geofence: empty,
  man_down: empty,
});
const on = (memberId: string) => ({ memberId, text: 'far', position: null });

describe('decideConditionAlerts', () => {
  it('raises only after 20 s beyond the limit without a break', () => {
    let since = new Map<string, number>();
    const at = (s: number, st: Record<ConditionType, ConditionState>) => {
      const d = decideConditionAlerts(st, [], since, T0 + s * 1000);
      since = d.beyondSince;
      return d.raise.map((r) => r.finding.memberId);
    };
    expect(at(0, states({ on: [on('bravo')] }))).toEqual([]);
    expect(at(10, states({ on: [on('bravo')] }))).toEqual([]);
    expect(at(19, states({ on: [on('bravo')] }))).toEqual([]);
    expect(at(20, states({ on: [on('bravo')] }))).toEqual(['bravo']);
  });

  it('starts the clock again when a reading comes back inside the limit: 301 m / 308 m jitter raises nothing', () => {
    let since = new Map<string, number>();
    // Every 5 s: beyond, beyond, beyond, back inside (298 m): never 20 s beyond without a break.
    for (let s = 0; s < 600; s += 5) {
      const beyond = (s / 5) % 4 !== 3;
      const st = states(beyond ? { on: [on('bravo')] } : { band: ['bravo'] });
      const d = decideConditionAlerts(st, [], since, T0 + s * 1000);
      since = d.beyondSince;
      expect(d.raise, `at ${s} s`).toEqual([]);
    }
  });

  it('keeps the clock running while the member cannot be told (silent), and starts it afresh when clear', () => {
    const d1 = decideConditionAlerts(states({ on: [on('bravo')] }), [], new Map(), T0);
    const d2 = decideConditionAlerts(states({ unknown: ['bravo'] }), [], d1.beyondSince, T0 + 15_000);
    expect(d2.beyondSince.get('separation:bravo')).toBe(T0);
    const d3 = decideConditionAlerts(states({ on: [on('bravo')] }), [], d2.beyondSince, T0 + 21_000);
    expect(d3.raise).toHaveLength(1);
    const d4 = decideConditionAlerts(states({}), [], d2.beyondSince, T0 + 16_000);
    expect(d4.beyondSince.size).toBe(0);
  });

  it('resolves an alert only when its member is clear, not in the band or unknown', () => {
    const existing: ConditionAlertRef[] = [
      { id: 'a1', type: 'separation', subjectId: 'bravo', state: 'active' },
    ];
    expect(decideConditionAlerts(states({ band: ['bravo'] }), existing, new Map(), T0).resolve).toEqual([]);
    expect(decideConditionAlerts(states({ unknown: ['bravo'] }), existing, new Map(), T0).resolve).toEqual(
      [],
    );
    expect(decideConditionAlerts(states({}), existing, new Map(), T0).resolve).toEqual(['a1']);
  });

  it('raises one alert per member while it lasts, and none again once cancelled', () => {
    const since = new Map([['separation:bravo', T0 - 60_000]]);
    const active: ConditionAlertRef[] = [
      { id: 'a1', type: 'separation', subjectId: 'bravo', state: 'active' },
    ];
    expect(decideConditionAlerts(states({ on: [on('bravo')] }), active, since, T0).raise).toEqual([]);
    const cancelled: ConditionAlertRef[] = [{ ...active[0], state: 'cancelled' } as ConditionAlertRef];
    const d = decideConditionAlerts(states({ on: [on('bravo')] }), cancelled, since, T0);
    expect(d.raise).toEqual([]);
    expect(d.resolve).toEqual([]);
    const resolved: ConditionAlertRef[] = [{ ...active[0], state: 'resolved' } as ConditionAlertRef];
    expect(decideConditionAlerts(states({ on: [on('bravo')] }), resolved, since, T0).raise).toHaveLength(1);
  });
});
