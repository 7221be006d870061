import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DetectionDrill, DetectionSheet } from '../src/contract/detection-drills.ts';
import type { AddedMember } from '../src/contract/members.ts';
import type { SearchPlan, SweepWidth } from '../src/contract/search.ts';
import { localFrame } from '../src/domain/search-geometry.fixtures.ts';
import type { TrackPoint } from '../src/domain/track-geometry.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Method = 'GET' | 'POST' | 'PUT';
const bearer = (m: AddedMember) => ({ authorization: `Bearer ${m.token}` });
const START = Date.parse('2026-12-07T09:00:00Z');
const TABLES = ['operations', 'detection_drills', 'detection_objects', 'detection_records', 'sweep_widths'];
const frame = localFrame({ lat: 51.05, lon: -1.31 });
/** Objects 2, 5, 10, 20 and 30 m off a north–south lane along x = 0, on alternate sides. */
const DISTANCES = [2, 5, 10, 20, 30];
const OBJECTS = DISTANCES.map((d, i) => ({
  label: `object ${d} m`,
  ...frame.at(i % 2 ? d : -d, -150 + 60 * i),
}));
const LANE = frame.walk(
  [
    [0, -200],
    [0, 200],
  ],
  10,
  START + 1000,
);

describe.each(engines)('detection drills over the API on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let scott: AddedMember;
  let stiles: AddedMember;
  let kate: AddedMember;

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
  /** Reports a walk as the member's own positions. */
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
  const create = async (payload: object = {}) => {
    const res = await call('POST', '/api/detection-drills', lead, {
      name: 'Gloves in the wood',
      resourceType: 'grid ground',
      searcherIds: [scott.memberId, stiles.memberId],
      objects: OBJECTS,
      binM: 7,
      ...payload,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as DetectionDrill;
  };
  const act = async (id: string, action: 'start' | 'end') => {
    const res = await call('POST', `/api/operations/${id}/actions`, lead, { action });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    scott = await h.addMember('Pack', 'SCOTT');
    stiles = await h.addMember('Pack', 'STILES');
    kate = await h.addMember('Hunters', 'KATE', { role: 'leader' });
  });

  it('fits W from two searchers’ tracks and finds, sets the team’s sweep width, and an assignment takes it', async () => {
    const drill = await create();
    expect(drill.operation).toMatchObject({ type: 'detection', state: 'planned', kind: 'exercise' });
    expect(drill.operation.participants.map((p) => p.role)).toEqual(['searcher', 'searcher']);
    const id = drill.operation.id;
    clock.ms = START;
    await act(id, 'start');

    // Scott walks the lane and ticks what he found on his phone: the labels only, no positions.
    await walk(scott, LANE);
    await walk(stiles, LANE);
    const sheet = await call('GET', `/api/detection-drills/${id}/sheet`, scott);
    expect(sheet.statusCode, sheet.body).toBe(200);
    const objects = (sheet.json() as DetectionSheet).objects;
    expect(objects.map((o) => o.label)).toEqual(OBJECTS.map((o) => o.label));
    expect(sheet.body).not.toMatch(/"lat"/);
    expect((await call('GET', `/api/detection-drills/${id}`, scott)).statusCode).toBe(403);
    for (const [i, o] of objects.entries()) {
      if ((DISTANCES[i] as number) > 10) continue;
      const res = await call('POST', `/api/detection-drills/${id}/records`, scott, {
        objectId: o.id,
        found: true,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    clock.ms = START + 3_600_000;
    await act(id, 'end');
    // Stiles's finds are entered by the leader afterwards: the 2 m object, and the 5 m one ticked then unticked.
    for (const [objectId, found] of [
      [objects[0]?.id, true],
      [objects[1]?.id, true],
      [objects[1]?.id, false],
    ] as const) {
      const res = await call('POST', `/api/detection-drills/${id}/records`, lead, {
        objectId,
        found,
        searcherId: stiles.memberId,
      });
      expect(res.statusCode, res.body).toBe(200);
    }

    const got = await call('GET', `/api/detection-drills/${id}`, scott);
    expect(got.statusCode, got.body).toBe(200);
    const ended = got.json() as DetectionDrill;
    expect(ended.records).toHaveLength(5);
    expect(ended.trials).toHaveLength(10);
    for (const t of ended.trials) {
      const i = ended.objects.findIndex((o) => o.id === t.objectId);
      expect(Math.abs(t.lateralRangeM - (DISTANCES[i] as number))).toBeLessThan(0.5);
      expect(t.counted).toBe(true);
    }
    expect(ended.tracks.map((t) => t.coordinates.length > 10)).toEqual([true, true]);
    // 7 m bins: 2 and 5 m (3 of 4 found), 10 m (1 of 2), 20 m (0 of 2), empty, 30 m (0 of 2): W = 2·7·1.25.
    expect(ended.fit?.sweepWidthM).toBeCloseTo(17.5, 9);
    expect(ended.fit?.trials).toBe(10);
    expect(ended.problems).toEqual([]);
    // The searchers' records list it as a detection drill they searched in.
    const record = await call('GET', `/api/members/${scott.memberId}/record`, lead);
    expect(record.json().attended).toContainEqual(
      expect.objectContaining({ kind: 'detection_drill', id, role: 'searcher' }),
    );

    const set = await call('PUT', '/api/search/sweep-widths', lead, {
      method: 'detection_drills',
      resourceType: 'grid ground',
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ resourceType: 'grid ground', source: 'detection_drills' });
    expect((set.json() as SweepWidth).sweepWidthM).toBeCloseTo(17.5, 9);
    expect((set.json() as SweepWidth).details).toMatchObject({ drillIds: [id], binM: 7, trials: 10 });

    const inc = await call('POST', '/api/callouts', lead, { name: 'Missing walker' });
    const incidentId = inc.json().id;
    const segment = await call('POST', `/api/operations/${incidentId}/search/segments`, lead, {
      name: 'A',
      polygon: frame.rectangle(200, 200),
    });
    const assigned = await call('POST', `/api/operations/${incidentId}/search/assignments`, lead, {
      segmentId: segment.json().id,
      memberIds: [scott.memberId],
      resourceType: 'grid ground',
    });
    expect(assigned.statusCode, assigned.body).toBe(201);
    expect((assigned.json() as SearchPlan).segments[0]?.assignments[0]?.sweepWidthM).toBeCloseTo(17.5, 9);
  });

  it('keeps an object’s records when the objects are replaced with its id, until ENDEX', async () => {
    const drill = await create();
    const id = drill.operation.id;
    const [first] = drill.objects;
    await act(id, 'start');
    await call('POST', `/api/detection-drills/${id}/records`, scott, { objectId: first?.id, found: true });
    const replaced = await call('PUT', `/api/detection-drills/${id}/objects`, lead, {
      objects: [
        { ...first, label: 'red glove' },
        { label: 'blue hat', lat: 51.05, lon: -1.31 },
      ],
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    const after = replaced.json() as DetectionDrill;
    expect(after.objects.map((o) => o.label)).toEqual(['red glove', 'blue hat']);
    expect(after.records.map((r) => [r.objectId, r.found])).toEqual([[first?.id, true]]);
    await act(id, 'end');
    const late = await call('PUT', `/api/detection-drills/${id}/objects`, lead, { objects: [] });
    expect(late.statusCode).toBe(409);
    const list = await call('GET', '/api/detection-drills', scott);
    expect(list.json().drills).toMatchObject([{ id, objectCount: 2, resourceType: 'grid ground' }]);
  });

  it('refuses bad input with a 4xx naming the field, and changes nothing', async () => {
    const drill = await create();
    const id = drill.operation.id;
    const objectId = drill.objects[0]?.id;
    const theirs = await call('POST', '/api/detection-drills', kate, {
      name: 'Theirs',
      resourceType: 'grid ground',
      searcherIds: [kate.memberId],
      objects: OBJECTS,
    });
    expect(theirs.statusCode, theirs.body).toBe(201);
    const theirId = (theirs.json() as DetectionDrill).operation.id;
    await act(id, 'start');
    const before = await state();

    const base = { name: 'X', resourceType: 'K9', searcherIds: [scott.memberId], objects: OBJECTS };
    const bad: Array<[Method, string, AddedMember, object, number, RegExp]> = [
      [
        'POST',
        '/api/detection-drills',
        lead,
        { ...base, objects: [{ label: 'a', lat: 95, lon: 0 }] },
        400,
        /objects\.0\.lat/,
      ],
      ['POST', '/api/detection-drills', lead, { ...base, searcherIds: [randomUUID()] }, 400, /searcherIds/],
      ['POST', '/api/detection-drills', lead, { ...base, searcherIds: [kate.memberId] }, 400, /searcherIds/],
      ['POST', '/api/detection-drills', scott, base, 403, /leader/],
      ['GET', `/api/detection-drills/${theirId}`, lead, {}, 404, /drill/],
      [
        'POST',
        `/api/detection-drills/${theirId}/records`,
        lead,
        { objectId, found: true, searcherId: scott.memberId },
        404,
        /drill/,
      ],
      [
        'POST',
        `/api/detection-drills/${id}/records`,
        scott,
        { objectId: randomUUID(), found: true },
        400,
        /objectId/,
      ],
      ['POST', `/api/detection-drills/${id}/records`, scott, { objectId, found: 'yes' }, 400, /found/],
      [
        'POST',
        `/api/detection-drills/${id}/records`,
        lead,
        { objectId, found: true, searcherId: kate.memberId },
        400,
        /searcherId/,
      ],
      [
        'POST',
        `/api/detection-drills/${id}/records`,
        stiles,
        { objectId, found: true, searcherId: scott.memberId },
        403,
        /leader/,
      ],
      [
        'PUT',
        `/api/detection-drills/${id}/objects`,
        lead,
        { objects: [{ id: randomUUID(), label: 'a', lat: 1, lon: 1 }] },
        400,
        /objects\.0\.id/,
      ],
      [
        'PUT',
        '/api/search/sweep-widths',
        lead,
        { method: 'detection_drills', resourceType: 'grid ground' },
        400,
        /drillIds/,
      ],
      [
        'PUT',
        '/api/search/sweep-widths',
        lead,
        { method: 'detection_drills', resourceType: 'grid ground', drillIds: [theirId] },
        400,
        /drillIds/,
      ],
      [
        'PUT',
        '/api/search/sweep-widths',
        lead,
        { method: 'detection_drills', resourceType: 'grid ground', drillIds: [randomUUID()] },
        400,
        /drillIds/,
      ],
      [
        'PUT',
        '/api/search/sweep-widths',
        lead,
        { method: 'detection_drills', resourceType: 'grid ground', drillIds: [id] },
        400,
        /drillIds/,
      ],
    ];
    for (const [method, url, who, payload, status, message] of bad) {
      const res = await call(method, url, who, method === 'GET' ? undefined : payload);
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(payload)}: ${res.body}`).toBe(status);
      expect(res.json().error.message, res.body).toMatch(message);
    }
    expect(await state()).toEqual(before);
  });
});
