import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { SearchPlan, SearchSegment } from '../src/contract/search.ts';
import { localFrame } from '../src/domain/search-geometry.fixtures.ts';
import type { TrackPoint } from '../src/domain/track-geometry.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';
const bearer = (m: AddedMember) => ({ authorization: `Bearer ${m.token}` });
const START = Date.parse('2026-12-06T09:00:00Z');
const TABLES = ['search_segments', 'search_plans', 'search_assignments'];
const frame = localFrame({ lat: 51.05, lon: -1.31 });
/** Segment A: 200 m × 300 m. Segment B: the same, 500 m further east. */
const A = frame.rectangle(200, 300);
const B = localFrame(frame.at(500, 0)).rectangle(200, 300);
/** Lanes 50 m apart across A (x = −75, −25, 25, 75), each from 50 m south of it to 50 m north. */
const lane = (x: number, north: boolean): [number, number][] =>
  north
    ? [
        [x, -200],
        [x, 200],
      ]
    : [
        [x, 200],
        [x, -200],
      ];

describe.each(engines)('search planning over the API on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let scott: AddedMember;
  let stiles: AddedMember;
  let kate: AddedMember;
  let incidentId: string;

  const call = (method: Method, url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: bearer(who), ...(payload ? { payload } : {}) });
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  const state = async () => ({
    rows: await Promise.all(TABLES.map(count)),
    seq: await lastSeq(d.db, lead.teamId),
  });
  const plan = async (who = lead) => {
    const res = await call('GET', `/api/operations/${incidentId}/search`, who);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SearchPlan;
  };
  const segment = async (name: string, polygon: object) => {
    const res = await call('POST', `/api/operations/${incidentId}/search/segments`, lead, { name, polygon });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as SearchSegment;
  };
  const send = async (
    segmentId: string,
    who: readonly AddedMember[],
    resourceType: string,
    sweepWidthM: number,
  ) => {
    const res = await call('POST', `/api/operations/${incidentId}/search/assignments`, lead, {
      segmentId,
      memberIds: who.map((m) => m.memberId),
      resourceType,
      sweepWidthM,
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const endSortie = (segmentId: string, sortie: string, who = lead, body: object = {}) =>
    call('POST', `/api/search/segments/${segmentId}/sorties/${sortie}/end`, who, body);
  /** A refusal: the status and, for a 400 or 409, the field named. */
  const refused = (res: Awaited<ReturnType<typeof call>>, status: number, field?: string) => {
    expect(res.statusCode, res.body).toBe(status);
    if (field) expect(res.json().error.details.field).toBe(field);
  };
  /** Reports a walk as the member's own positions, one a second from `startMs`. */
  const walk = async (who: AddedMember, points: readonly TrackPoint[]) => {
    for (const p of points) {
      const res = await call('POST', '/api/positions', who, {
        lat: p.lat,
        lon: p.lon,
        time: new Date(p.timeMs).toISOString(),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
  };

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    scott = await h.addMember('Pack', 'SCOTT');
    stiles = await h.addMember('Pack', 'STILES');
    kate = await h.addMember('Hunters', 'KATE', { role: 'leader' });
    const inc = await call('POST', '/api/callouts', lead, { name: 'Missing walker, Hale woods' });
    expect(inc.statusCode, inc.body).toBe(201);
    incidentId = inc.json().id;
  });

  it('computes coverage, POD, POS and the updated POA from what the assigned members walked', async () => {
    const a = await segment('A north wood', A);
    const b = await segment('B meadow', B);
    expect(Math.abs(a.areaM2 / 60_000 - 1)).toBeLessThan(0.005);
    const poa = await call('PUT', `/api/operations/${incidentId}/search/poa`, lead, {
      method: 'direct',
      segments: { [a.id]: 0.5, [b.id]: 0.3 },
    });
    expect(poa.statusCode, poa.body).toBe(200);
    expect((poa.json() as SearchPlan).restOfWorld).toBeCloseTo(0.2, 12);

    // Before the assignment SCOTT crosses A on his way: not a search.
    await walk(
      scott,
      frame.walk(
        [
          [-90, -200],
          [-90, 200],
        ],
        100,
        START - 600_000,
      ),
    );
    clock.ms = START;
    const assigned = await call('POST', `/api/operations/${incidentId}/search/assignments`, lead, {
      segmentId: a.id,
      memberIds: [scott.memberId, stiles.memberId],
      resourceType: 'grid ground',
      sweepWidthM: 20,
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    // SCOTT walks the two western lanes, STILES the two eastern ones: 4 × 300 m inside A.
    await walk(scott, frame.walk([...lane(-75, true), ...lane(-25, false)], 100, START + 1000));
    await walk(stiles, frame.walk([...lane(25, true), ...lane(75, false)], 100, START + 1000));
    // DEREK, not assigned, walks through A too: not counted.
    await walk(
      lead,
      frame.walk(
        [
          [0, -200],
          [0, 200],
        ],
        100,
        START + 1000,
      ),
    );
    clock.ms = START + 3_600_000;

    const p = await plan(scott);
    const sa = p.segments.find((s) => s.id === a.id);
    const sb = p.segments.find((s) => s.id === b.id);
    expect(sa?.assignments).toHaveLength(2);
    // W = 20 m, L = 1200 m, A = 60 000 m²: C = 0.4, POD = 1 − e^(−0.4) = 0.3297.
    const pod = 1 - Math.exp(-0.4);
    expect(sa?.assignments.map((x) => x.lengthInsideM).every((l) => Math.abs(l / 600 - 1) < 0.005)).toBe(
      true,
    );
    expect(Math.abs((sa?.coverage ?? 0) / 0.4 - 1)).toBeLessThan(0.005);
    expect(sa?.pod).toBeCloseTo(pod, 3);
    expect(sa?.cumulativePod).toBeCloseTo(pod, 3);
    expect(sa?.pos).toBeCloseTo(0.5 * pod, 3);
    expect(sa?.currentPoa).toBeCloseTo((0.5 * (1 - pod)) / (1 - 0.5 * pod), 3);
    expect(sb).toMatchObject({ coverage: 0, pod: 0, pos: 0 });
    expect(sb?.currentPoa).toBeCloseTo(0.3 / (1 - 0.5 * pod), 3);
    expect(p.currentRestOfWorld).toBeCloseTo(0.2 / (1 - 0.5 * pod), 3);
    expect(p.mode).toBe('real');

    // A second sortie walks the same lanes again: the cumulative POD is 1 − (1 − POD)².
    const second = await call('POST', `/api/operations/${incidentId}/search/assignments`, lead, {
      segmentId: a.id,
      memberIds: [stiles.memberId],
      resourceType: 'grid ground',
      sweepWidthM: 20,
    });
    expect(second.statusCode, second.body).toBe(201);
    const sortie2 = (second.json() as SearchPlan).segments
      .find((s) => s.id === a.id)
      ?.assignments.find((x) => x.sortie === 2);
    expect(sortie2).toBeDefined();
    await walk(
      stiles,
      frame.walk(
        [...lane(-75, true), ...lane(-25, false), ...lane(25, true), ...lane(75, false)],
        100,
        START + 3_600_000 + 1000,
      ),
    );
    clock.ms = START + 7_200_000;
    const ended = await call('POST', `/api/search/assignments/${sortie2?.id}/end`, lead, {});
    expect(ended.statusCode, ended.body).toBe(200);
    const after = (ended.json() as SearchPlan).segments.find((s) => s.id === a.id);
    // STILES's first assignment ended when he was sent again: his second walk is sortie 2's alone.
    expect(after?.sorties.map((s) => s.coverage)).toEqual([expect.closeTo(0.4, 2), expect.closeTo(0.4, 2)]);
    expect(after?.sorties.map((s) => s.sortie)).toEqual([1, 2]);
    expect(after?.cumulativePod).toBeCloseTo(1 - (1 - pod) ** 2, 3);
    const logged = await d.db
      .selectFrom('events')
      .select(['type', 'mode'])
      .where('type', '=', 'search.updated')
      .execute();
    expect(logged).toHaveLength(6);
    expect(logged.every((e) => e.mode === 'real')).toBe(true);
  });

  it('ends a sortie: every searcher still out is called back and its POD stops growing', async () => {
    const a = await segment('A', A);
    clock.ms = START;
    await send(a.id, [scott, stiles], 'grid ground', 20);
    await walk(scott, frame.walk(lane(-75, true), 100, START + 1000));
    await walk(stiles, frame.walk(lane(75, true), 100, START + 1000));
    clock.ms = START + 1_800_000;
    const during = (await plan(scott)).segments[0]?.sorties[0];
    expect(during).toMatchObject({ sortie: 1, searchers: 2, endedAt: null });
    expect(during?.startedAt).toBe(new Date(START).toISOString());

    const ended = await endSortie(a.id, '1');
    expect(ended.statusCode, ended.body).toBe(200);
    const after = (ended.json() as SearchPlan).segments[0];
    const end = new Date(START + 1_800_000).toISOString();
    expect(after?.sorties[0]?.endedAt).toBe(end);
    expect(after?.assignments.every((x) => x.endedAt === end)).toBe(true);
    // W = 20 m, L = 2 × 300 m, A = 60 000 m²: C = 0.2. What they walk afterwards is not this sortie's.
    expect(Math.abs((after?.coverage ?? 0) / 0.2 - 1)).toBeLessThan(0.005);
    await walk(scott, frame.walk(lane(-25, true), 100, START + 1_900_000));
    clock.ms = START + 3_600_000;
    expect(Math.abs(((await plan()).segments[0]?.coverage ?? 0) / 0.2 - 1)).toBeLessThan(0.005);

    const before = await state();
    refused(await endSortie(a.id, '1'), 409, 'sortie');
    refused(await endSortie(a.id, '7'), 404);
    refused(await endSortie(a.id, 'first'), 400, 'sortie');
    refused(await endSortie(a.id, '1', kate), 404);
    expect(await state()).toEqual(before);
  });

  it('refuses to end a sortie before its searchers started, or for a member who is not a leader', async () => {
    const a = await segment('A', A);
    clock.ms = START;
    await send(a.id, [scott], 'hasty ground', 30);
    const before = await state();
    refused(
      await endSortie(a.id, '1', lead, { endedAt: new Date(START - 60_000).toISOString() }),
      400,
      'endedAt',
    );
    refused(await endSortie(a.id, '1', lead, { endedAt: 'at noon' }), 400, 'endedAt');
    refused(await endSortie(a.id, '1', scott), 403);
    expect(await state()).toEqual(before);
  });

  it('sets the POA by consensus of planners with the rest of the world', async () => {
    const a = await segment('A', A);
    const b = await segment('B', B);
    const res = await call('PUT', `/api/operations/${incidentId}/search/poa`, lead, {
      method: 'consensus',
      planners: [
        { name: 'one', segments: { [a.id]: 60, [b.id]: 30 }, restOfWorld: 10 },
        { name: 'two', segments: { [a.id]: 20, [b.id]: 60 }, restOfWorld: 20 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as SearchPlan;
    expect(p.poaMethod).toBe('consensus');
    expect(p.segments.find((s) => s.id === a.id)?.poa).toBeCloseTo(0.4, 9);
    expect(p.segments.find((s) => s.id === b.id)?.poa).toBeCloseTo(0.45, 9);
    expect(p.restOfWorld).toBeCloseTo(0.15, 9);
  });

  it('renames a segment and recomputes its area when its polygon changes; refuses a bad one', async () => {
    const a = await segment('A', A);
    const res = await call('PATCH', `/api/search/segments/${a.id}`, lead, {
      name: 'A north',
      polygon: frame.rectangle(100, 300),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'A north' });
    expect(Math.abs((res.json() as SearchSegment).areaM2 / 30_000 - 1)).toBeLessThan(0.005);
    const before = await state();
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [-1.31, 51.05],
          [-1.3, 51.06],
          [-1.3, 51.05],
          [-1.31, 51.06],
        ],
      ],
    };
    const bad = await call('PATCH', `/api/search/segments/${a.id}`, lead, { polygon: open });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('polygon.coordinates');
    const empty = await call('PATCH', `/api/search/segments/${a.id}`, lead, {});
    expect(empty.statusCode).toBe(400);
    expect(await state()).toEqual(before);
  });

  describe('bad input: a clear 4xx and nothing changed', () => {
    it('refuses a polygon that crosses itself, or is open', async () => {
      const before = await state();
      const bowTie = {
        type: 'Polygon',
        coordinates: [
          [
            [-1.31, 51.05],
            [-1.3, 51.06],
            [-1.3, 51.05],
            [-1.31, 51.06],
            [-1.31, 51.05],
          ],
        ],
      };
      const res = await call('POST', `/api/operations/${incidentId}/search/segments`, lead, {
        name: 'X',
        polygon: bowTie,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/crosses itself/);
      expect(res.json().error.details.field).toBe('polygon.coordinates');
      const open = {
        type: 'Polygon',
        coordinates: [
          [
            [-1.31, 51.05],
            [-1.3, 51.06],
            [-1.3, 51.05],
            [-1.31, 51.06],
          ],
        ],
      };
      const res2 = await call('POST', `/api/operations/${incidentId}/search/segments`, lead, {
        name: 'X',
        polygon: open,
      });
      expect(res2.statusCode).toBe(400);
      expect(res2.json().error.message).toMatch(/not closed/);
      expect(await state()).toEqual(before);
    });

    it('refuses a POA outside 0–1, over 1 in sum, or for a segment not in the operation', async () => {
      const a = await segment('A', A);
      const before = await state();
      const put = (body: object) => call('PUT', `/api/operations/${incidentId}/search/poa`, lead, body);
      const high = await put({ method: 'direct', segments: { [a.id]: 1.4 } });
      expect(high.statusCode).toBe(400);
      expect(high.json().error.details.field).toBe(`segments.${a.id}`);
      expect(high.json().error.message).toMatch(/within 0–1/);
      const negative = await put({ method: 'direct', segments: { [a.id]: -0.1 } });
      expect(negative.statusCode).toBe(400);
      const sum = await put({ method: 'direct', segments: { [a.id]: 0.7 }, restOfWorld: 0.6 });
      expect(sum.statusCode).toBe(400);
      expect(sum.json().error.details.field).toBe('restOfWorld');
      const stranger = randomUUID();
      const unknown = await put({ method: 'direct', segments: { [stranger]: 0.5 } });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.details.field).toBe(`segments.${stranger}`);
      expect(await state()).toEqual(before);
    });

    it('refuses unknown members, another team’s member, and a segment of no such operation', async () => {
      const a = await segment('A', A);
      const before = await state();
      const assign = (body: object) =>
        call('POST', `/api/operations/${incidentId}/search/assignments`, lead, body);
      const base = { segmentId: a.id, resourceType: 'hasty ground', sweepWidthM: 30 };
      const unknown = await assign({ ...base, memberIds: [scott.memberId, randomUUID()] });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.details.field).toBe('memberIds');
      const foreign = await assign({ ...base, memberIds: [kate.memberId] });
      expect(foreign.statusCode).toBe(400);
      expect(foreign.json().error.message).toContain(kate.memberId);
      const noSegment = await assign({ ...base, segmentId: randomUUID(), memberIds: [scott.memberId] });
      expect(noSegment.statusCode).toBe(400);
      expect(noSegment.json().error.details.field).toBe('segmentId');
      const noWidth = await assign({
        segmentId: a.id,
        resourceType: 'K9 air-scent',
        memberIds: [scott.memberId],
      });
      expect(noWidth.statusCode).toBe(400);
      expect(noWidth.json().error.details.field).toBe('sweepWidthM');
      expect(await state()).toEqual(before);
    });

    it('shows another team nothing of the search and lets it change nothing', async () => {
      const a = await segment('A', A);
      const before = await state();
      expect((await call('GET', `/api/operations/${incidentId}/search`, kate)).statusCode).toBe(404);
      const add = await call('POST', `/api/operations/${incidentId}/search/segments`, kate, {
        name: 'Mine',
        polygon: B,
      });
      expect(add.statusCode).toBe(404);
      const patch = await call('PATCH', `/api/search/segments/${a.id}`, kate, { name: 'Mine' });
      expect(patch.statusCode).toBe(404);
      const poa = await call('PUT', `/api/operations/${incidentId}/search/poa`, kate, {
        method: 'direct',
        segments: {},
      });
      expect(poa.statusCode).toBe(404);
      expect(await state()).toEqual(before);
    });

    it('lets only leaders plan, and nothing change once the incident is closed', async () => {
      const before = await state();
      const byMember = await call('POST', `/api/operations/${incidentId}/search/segments`, scott, {
        name: 'A',
        polygon: A,
      });
      expect(byMember.statusCode).toBe(403);
      expect(await state()).toEqual(before);
      const closed = await call('POST', `/api/operations/${incidentId}/close`, lead, {
        summary: 'found safe',
        override: 'test',
      });
      expect(closed.statusCode, closed.body).toBe(200);
      const late = await call('POST', `/api/operations/${incidentId}/search/segments`, lead, {
        name: 'A',
        polygon: A,
      });
      expect(late.statusCode).toBe(409);
      expect((await state()).rows).toEqual(before.rows);
    });
  });
});
