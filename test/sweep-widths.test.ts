import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { SearchPlan, SweepWidth } from '../src/contract/search.ts';
import { localFrame } from '../src/domain/search-geometry.fixtures.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const bearer = (m: AddedMember) => ({ authorization: `Bearer ${m.token}` });

describe.each(engines)('sweep widths over the API on $name', (engine) => {
  const { h, d } = useHarness(engine, { resetBeforeEach: true });
  let lead: AddedMember;
  let scott: AddedMember;

  const put = (who: AddedMember, payload: object) =>
    h.app.inject({ method: 'PUT', url: '/api/search/sweep-widths', headers: bearer(who), payload });
  const rows = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from sweep_widths`.execute(d.db)).rows[0]?.n);

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    scott = await h.addMember('Pack', 'SCOTT');
  });

  it('fits the sweep width from a detection drill, and an assignment without one takes it', async () => {
    // Objects every 5 m from 0 to 60 m off the track; everything within 30 m found, nothing beyond: W = 60 m.
    const trials = Array.from({ length: 13 }, (_, i) => ({ lateralRangeM: i * 5, detected: i * 5 < 30 }));
    const fit = await put(lead, { method: 'lateral_range', resourceType: 'grid ground', binM: 10, trials });
    expect(fit.statusCode, fit.body).toBe(200);
    expect(fit.json()).toMatchObject({
      resourceType: 'grid ground',
      sweepWidthM: 60,
      source: 'lateral_range',
    });

    const range = await put(lead, {
      method: 'detection_range',
      resourceType: 'hasty ground',
      visibility: 'medium',
      maxRangesM: [20, 30, 40],
    });
    expect(range.statusCode, range.body).toBe(200);
    expect((range.json() as SweepWidth).sweepWidthM).toBeCloseTo(48, 9);

    const list = await h.app.inject({
      method: 'GET',
      url: '/api/search/sweep-widths',
      headers: bearer(scott),
    });
    expect((list.json().sweepWidths as SweepWidth[]).map((w) => [w.resourceType, w.sweepWidthM])).toEqual([
      ['grid ground', 60],
      ['hasty ground', expect.closeTo(48, 9)],
    ]);

    const inc = await h.app.inject({
      method: 'POST',
      url: '/api/callouts',
      headers: bearer(lead),
      payload: { name: 'Missing walker' },
    });
    const incidentId = inc.json().id;
    const segment = await h.app.inject({
      method: 'POST',
      url: `/api/operations/${incidentId}/search/segments`,
      headers: bearer(lead),
      payload: { name: 'A', polygon: localFrame({ lat: 51, lon: -1 }).rectangle(200, 200) },
    });
    const assigned = await h.app.inject({
      method: 'POST',
      url: `/api/operations/${incidentId}/search/assignments`,
      headers: bearer(lead),
      payload: { segmentId: segment.json().id, memberIds: [scott.memberId], resourceType: 'grid ground' },
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect((assigned.json() as SearchPlan).segments[0]?.assignments[0]?.sweepWidthM).toBe(60);
  });

  it('refuses bad drills and a plain member, and stores nothing', async () => {
    const bad = [
      { method: 'lateral_range', resourceType: 'K9', trials: [] },
      { method: 'lateral_range', resourceType: 'K9', trials: [{ lateralRangeM: -2, detected: true }] },
      { method: 'lateral_range', resourceType: 'K9', trials: [{ lateralRangeM: 5, detected: false }] },
      { method: 'detection_range', resourceType: 'K9', visibility: 'dim', maxRangesM: [10] },
      { method: 'manual', resourceType: 'K9', sweepWidthM: 0 },
      { method: 'manual', resourceType: '', sweepWidthM: 10 },
    ];
    for (const body of bad) {
      const res = await put(lead, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.message).toMatch(/\w+: /);
    }
    expect((await put(scott, { method: 'manual', resourceType: 'K9', sweepWidthM: 30 })).statusCode).toBe(
      403,
    );
    expect(await rows()).toBe(0);
  });
});
