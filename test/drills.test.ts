import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Drill, DrillTracks, Progress } from '../src/contract/drills.ts';
import type { AddedMember } from '../src/contract/members.ts';
import type { TrackPoint } from '../src/domain/drill-score.ts';
import type { Point } from '../src/domain/geo.ts';
import { MAX_TRACK_FILE_BYTES, parseTrackFile } from '../src/formats/gpx-read.ts';
import { writeGpx } from '../src/formats/gpx-write.ts';
import { FakeClock } from './support/clock.ts';
import { offsetLine, T0, track } from './support/drill-tracks.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

type Headers = Record<string, string>;
const bearer = (m: AddedMember): Headers => ({ authorization: `Bearer ${m.token}` });
// Bern, 09:00 UTC on 1 June: broad daylight.
const ORIGIN: Point = { lat: 46.95, lon: 7.45 };
const gpx = (points: readonly TrackPoint[]) => writeGpx([{ name: 'trail', points }]);
const DAY = 86_400_000;

describe.each(engines)('tracking drills on $name', (engine) => {
  const clock = new FakeClock(Date.parse('2026-11-25T16:00:00Z'));
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let runner: AddedMember;
  let tracker: AddedMember;
  let second: AddedMember;
  let otherLead: AddedMember;

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    runner = await h.addMember('Pack', 'STILES');
    tracker = await h.addMember('Pack', 'SCOTT');
    second = await h.addMember('Pack', 'MALIA');
    otherLead = await h.addMember('Hunters', 'ARGENT', { role: 'leader' });
  });

  const send = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    who: AddedMember,
    payload?: object,
  ) => h.app.inject({ method, url, headers: bearer(who), ...(payload && { payload }) });
  const upload = (drillId: string, memberId: string, body: string | Buffer, who = lead, name = 'trail.gpx') =>
    h.app.inject({
      method: 'PUT',
      url: `/api/drills/${drillId}/tracks/${memberId}?fileName=${encodeURIComponent(name)}`,
      headers: { ...bearer(who), 'content-type': 'application/gpx+xml' },
      payload: body,
    });
  const create = async (extra: object = {}, who = lead): Promise<Drill> => {
    const res = await send('POST', '/api/drills', who, {
      name: 'Forest trail',
      runnerId: runner.memberId,
      trackerIds: [tracker.memberId],
      conditions: { trailAgeMin: 30, terrain: 'forest floor', temperatureC: 12 },
      recorded: true,
      ...extra,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Drill;
  };
  /** Reports a fix as the member's phone would, the clock moving on to its time. */
  const report = (m: AddedMember, p: TrackPoint) => {
    clock.ms = Math.max(clock.ms, p.timeMs);
    return send('POST', '/api/positions', m, {
      lat: p.lat,
      lon: p.lon,
      time: new Date(p.timeMs).toISOString(),
    });
  };
  const count = async (table: string) =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  const addSkill = async (teamOf: AddedMember, name: string) => {
    const id = randomUUID();
    await d.db.insertInto('skills').values({ id, team_id: teamOf.teamId, name }).execute();
    return id;
  };
  /** A recorded drill with the runner's 1 km trail and the tracker walking beside it `sideM` m off, `daysLater`. */
  const recordedDrill = async (sideM: number, daysLater = 0, extra: object = {}) => {
    const drill = await create(extra);
    const t0 = T0 + daysLater * DAY;
    const { runner: r, tracker: t } = offsetLine(ORIGIN, sideM);
    const shift = (ps: TrackPoint[]) => ps.map((p) => ({ ...p, timeMs: p.timeMs - T0 + t0 }));
    expect((await upload(drill.operation.id, runner.memberId, gpx(shift(r)))).statusCode).toBe(200);
    const res = await upload(drill.operation.id, tracker.memberId, gpx(shift(t)));
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Drill;
  };

  it('records a drill from uploaded GPX files and scores the tracker', async () => {
    const planned = await create();
    expect(planned.operation).toMatchObject({
      type: 'tracking',
      kind: 'exercise',
      mode: 'exercise',
      state: 'ended',
    });
    expect(planned.results).toEqual([
      { trackerId: tracker.memberId, score: null, problem: 'no runner track yet', scoredAt: null },
    ]);
    const drill = await recordedDrill(10);
    expect(drill.tracks.map((t) => [t.role, t.source, t.fileName])).toEqual([
      ['runner', 'gpx', 'trail.gpx'],
      ['tracker', 'gpx', 'trail.gpx'],
    ]);
    expect(drill.light).toBe('day');
    expect(drill.sunElevationDeg).toBeGreaterThan(30);
    expect(drill.operation.startedAt).toBe(new Date(T0).toISOString());
    expect(drill.operation.endedAt).toBe(new Date(T0 + 3600_000 + 1000_000).toISOString());
    const score = drill.results[0]?.score;
    expect(score?.shareFollowed).toBe(1);
    expect(Math.abs((score?.deviationMeanM ?? 0) - 10)).toBeLessThan(0.5);
    expect(score?.trailLengthM).toBeCloseTo(1000, 0);
    expect(await count('drill_scores')).toBe(1);
    // Read back as stored, and listed.
    const again = (await send('GET', `/api/drills/${drill.operation.id}`, tracker)).json() as Drill;
    expect(again.results[0]?.score?.shareFollowed).toBe(1);
    const list = (await send('GET', '/api/drills', tracker)).json();
    // Newest first by when they took place: the one still without tracks was created today, the other in 2025.
    expect(list.drills).toEqual([
      expect.objectContaining({ id: planned.operation.id, bestShareFollowed: null }),
      expect.objectContaining({
        id: drill.operation.id,
        recorded: true,
        bestShareFollowed: 1,
        runnerId: runner.memberId,
      }),
    ]);
    const tracks = (
      await send('GET', `/api/drills/${drill.operation.id}/tracks`, tracker)
    ).json() as DrillTracks;
    expect(tracks.features.map((f) => [f.properties.callsign, f.properties.role])).toEqual([
      ['STILES', 'runner'],
      ['SCOTT', 'tracker'],
    ]);
    expect(tracks.features[0]?.geometry.coordinates).toHaveLength(1001);
  });

  it('takes a KML track (gx:Track) as well as GPX', async () => {
    const drill = await create();
    const { runner: r, tracker: t } = offsetLine(ORIGIN, 10);
    await upload(drill.operation.id, runner.memberId, gpx(r));
    const kml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>',
      '<Placemark><name>SCOTT</name><gx:Track>',
      ...t.map((p) => `<when>${new Date(p.timeMs).toISOString()}</when>`),
      ...t.map((p) => `<gx:coord>${p.lon} ${p.lat} 0</gx:coord>`),
      '</gx:Track></Placemark></Document></kml>',
    ].join('\n');
    const res = await h.app.inject({
      method: 'PUT',
      url: `/api/drills/${drill.operation.id}/tracks/${tracker.memberId}?fileName=scott.kml`,
      headers: { ...bearer(lead), 'content-type': 'application/vnd.google-earth.kml+xml' },
      payload: kml,
    });
    expect(res.statusCode, res.body).toBe(200);
    const scored = res.json() as Drill;
    expect(scored.tracks.find((x) => x.memberId === tracker.memberId)).toMatchObject({
      source: 'kml',
      fileName: 'scott.kml',
      pointCount: t.length,
    });
    expect(scored.results[0]?.score?.shareFollowed).toBe(1);
  });

  it('scores again when the tolerance changes, and refuses a bad change', async () => {
    const drill = await recordedDrill(10);
    const skill = await addSkill(lead, 'Trailing');
    const res = await send('PATCH', `/api/drills/${drill.operation.id}`, lead, {
      toleranceM: 5,
      skillIds: [skill],
      conditions: { weather: 'drizzle', trailType: 'double_blind' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const changed = res.json() as Drill;
    expect(changed.toleranceM).toBe(5);
    expect(changed.results[0]?.score?.shareFollowed).toBe(0);
    expect(changed.skillIds).toEqual([skill]);
    expect(changed.conditions).toMatchObject({ weather: 'drizzle', trailType: 'double_blind' });
    const stored = await d.db.selectFrom('drill_scores').select('share_followed').executeTakeFirst();
    expect(stored?.share_followed).toBe(0);

    for (const [payload, field] of [
      [{ toleranceM: -1 }, 'toleranceM'],
      [{ findRadiusM: 'far' }, 'findRadiusM'],
      [{ skillIds: [randomUUID()] }, 'skillIds'],
      [{ skillIds: [await addSkill(otherLead, 'Crossbow')] }, 'skillIds'],
      [{ conditions: { trailType: 'sideways' } }, 'conditions.trailType'],
    ] as const) {
      const bad = await send('PATCH', `/api/drills/${drill.operation.id}`, lead, payload);
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
      expect(bad.json().error.details.field).toBe(field);
    }
    expect(
      (await send('PATCH', `/api/drills/${drill.operation.id}`, tracker, { toleranceM: 30 })).statusCode,
    ).toBe(403);
    const after = (await send('GET', `/api/drills/${drill.operation.id}`, lead)).json() as Drill;
    expect(after).toMatchObject({ toleranceM: 5, skillIds: [skill] });
  });

  it('refuses a bad drill and stores nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ trackerIds: [runner.memberId] }, 'trackerIds'],
      [{ trackerIds: [tracker.memberId, tracker.memberId] }, 'trackerIds'],
      [{ trackerIds: [otherLead.memberId] }, 'trackerIds'],
      [{ runnerId: otherLead.memberId }, 'runnerId'],
      [{ trackerIds: [] }, 'trackerIds'],
      [{ toleranceM: 0 }, 'toleranceM'],
      [{ skillIds: [randomUUID()] }, 'skillIds'],
      [{ name: '' }, 'name'],
    ];
    for (const [extra, field] of cases) {
      const res = await send('POST', '/api/drills', lead, {
        name: 'Bad',
        runnerId: runner.memberId,
        trackerIds: [tracker.memberId],
        ...extra,
      });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    const byMember = await send('POST', '/api/drills', tracker, {
      name: 'Mine',
      runnerId: runner.memberId,
      trackerIds: [second.memberId],
    });
    expect(byMember.statusCode).toBe(403);
    expect(await count('drills')).toBe(0);
    expect(await count('operations')).toBe(0);
  });

  it('refuses bad track files with a clear error, storing nothing', async () => {
    const drill = await create();
    const { runner: r } = offsetLine(ORIGIN, 0);
    const reversed = [...r.slice(0, 10)].reverse();
    const cases: Array<[string | Buffer, number, RegExp]> = [
      ['<?xml version="1.0"?><gpx version="1.1"><wpt lat="1" lon="2"/></gpx>', 400, /has no track/],
      [gpx(r.slice(0, 1)), 400, /1 point: a trail needs at least 2/],
      [gpx(reversed), 400, /timestamps out of order/],
      ['not xml at all', 400, /not well-formed XML/],
      [
        '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x "y">]><gpx><trk><trkseg/></trk></gpx>',
        400,
        /DOCTYPE/,
      ],
      [Buffer.alloc(MAX_TRACK_FILE_BYTES + 1, 32), 413, /too large \(50\.0 MB\): the limit is 50\.0 MB/],
    ];
    for (const [body, status, message] of cases) {
      const res = await upload(drill.operation.id, runner.memberId, body);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
      expect(res.json().error.message).toMatch(message);
      expect(res.json().error.message).toMatch(/trail\.gpx|the file/);
    }
    // An empty body, a member not in the drill, a drill of another team, a member who is not a leader.
    expect((await upload(drill.operation.id, runner.memberId, '')).statusCode).toBe(400);
    const outsider = await upload(drill.operation.id, second.memberId, gpx(r));
    expect(outsider.statusCode).toBe(400);
    expect(outsider.json().error).toMatchObject({ details: { field: 'memberId' } });
    expect((await upload(drill.operation.id, runner.memberId, gpx(r), otherLead)).statusCode).toBe(404);
    expect((await upload(drill.operation.id, runner.memberId, gpx(r), tracker)).statusCode).toBe(403);
    expect((await upload(randomUUID(), runner.memberId, gpx(r))).statusCode).toBe(404);
    expect(await count('drill_tracks')).toBe(0);
    expect(await count('drill_scores')).toBe(0);
    const fresh = (await send('GET', `/api/drills/${drill.operation.id}`, lead)).json() as Drill;
    expect(fresh).toMatchObject({ tracks: [], light: null, operation: { startedAt: null } });
    // A participant may upload their own track, and a track can be deleted again.
    expect((await upload(drill.operation.id, runner.memberId, gpx(r), runner)).statusCode).toBe(200);
    expect(
      (await send('DELETE', `/api/drills/${drill.operation.id}/tracks/${runner.memberId}`, tracker))
        .statusCode,
    ).toBe(403);
    const deleted = await send('DELETE', `/api/drills/${drill.operation.id}/tracks/${runner.memberId}`, lead);
    expect(deleted.statusCode).toBe(200);
    expect((deleted.json() as Drill).tracks).toEqual([]);
    expect(
      (await send('DELETE', `/api/drills/${drill.operation.id}/tracks/${runner.memberId}`, lead)).statusCode,
    ).toBe(404);
  });

  it('keeps each team to its own drills', async () => {
    const drill = await recordedDrill(10);
    expect((await send('GET', `/api/drills/${drill.operation.id}`, otherLead)).statusCode).toBe(404);
    expect((await send('GET', `/api/drills/${drill.operation.id}/tracks`, otherLead)).statusCode).toBe(404);
    expect((await send('GET', `/api/drills/${drill.operation.id}/export.gpx`, otherLead)).statusCode).toBe(
      404,
    );
    expect(
      (await send('PATCH', `/api/drills/${drill.operation.id}`, otherLead, { toleranceM: 3 })).statusCode,
    ).toBe(404);
    expect((await send('GET', '/api/drills', otherLead)).json()).toEqual({ drills: [] });
    expect((await send('GET', `/api/members/${tracker.memberId}/progress`, otherLead)).statusCode).toBe(404);
    // An exercise that is not a tracking drill is not a drill.
    const ex = await send('POST', '/api/operations', lead, { name: 'Plain exercise' });
    expect(ex.json().type).toBe('general');
    expect((await send('GET', `/api/drills/${ex.json().id}`, lead)).statusCode).toBe(404);
  });

  it('exports the trails as GPX that scores the same when uploaded again', async () => {
    const drill = await recordedDrill(12);
    const res = await send('GET', `/api/drills/${drill.operation.id}/export.gpx`, lead);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/gpx\+xml/);
    const [r, t] = parseTrackFile(res.body);
    expect([r?.name, t?.name]).toEqual(['STILES (runner)', 'SCOTT (tracker)']);
    const copy = await create({ name: 'Forest trail, again' });
    await upload(copy.operation.id, runner.memberId, writeGpx([r as { points: TrackPoint[] }]));
    const back = (
      await upload(copy.operation.id, tracker.memberId, writeGpx([t as { points: TrackPoint[] }]))
    ).json() as Drill;
    const a = drill.results[0]?.score;
    const b = back.results[0]?.score;
    expect(b?.shareFollowed).toBe(a?.shareFollowed);
    for (const key of [
      'deviationMeanM',
      'deviationP95M',
      'deviationMaxM',
      'trailLengthM',
      'trackerDistanceM',
    ] as const) {
      expect(b?.[key]).toBeCloseTo(a?.[key] ?? Number.NaN, 6);
    }
    expect(b?.timeToFindS).toBe(a?.timeToFindS);
  });

  it('records a find from the button once per tracker', async () => {
    const drill = await create({ recorded: false, trackerIds: [tracker.memberId, second.memberId] });
    expect((await send('POST', `/api/drills/${drill.operation.id}/find`, tracker, {})).statusCode).toBe(409);
    await send('POST', `/api/operations/${drill.operation.id}/actions`, lead, { action: 'start' });
    clock.ms += 600_000;
    const found = await send('POST', `/api/drills/${drill.operation.id}/find`, tracker, {});
    expect(found.statusCode, found.body).toBe(201);
    expect((found.json() as Drill).finds).toEqual([
      {
        trackerId: tracker.memberId,
        time: clock.now().toISOString(),
        source: 'button',
        recordedBy: tracker.memberId,
      },
    ]);
    const twice = await send('POST', `/api/drills/${drill.operation.id}/find`, tracker, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details.field).toBe('trackerId');
    // Only a leader finds for another tracker; the runner is no tracker.
    expect(
      (await send('POST', `/api/drills/${drill.operation.id}/find`, tracker, { trackerId: second.memberId }))
        .statusCode,
    ).toBe(403);
    const wrong = await send('POST', `/api/drills/${drill.operation.id}/find`, lead, {
      trackerId: runner.memberId,
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('trackerId');
    expect(
      (await send('POST', `/api/drills/${drill.operation.id}/find`, lead, { time: 'yesterday' })).statusCode,
    ).toBe(400);
    expect(
      (await send('POST', `/api/drills/${drill.operation.id}/find`, lead, { trackerId: second.memberId }))
        .statusCode,
    ).toBe(201);
    expect(await count('drill_finds')).toBe(2);
  });

  it('lets a K9’s handler record the find for the dog, and no one else but a leader', async () => {
    const rex = (
      await send('POST', '/api/members', lead, {
        name: 'Rex',
        callsign: 'K9-REX',
        kind: 'animal',
        handlerId: tracker.memberId,
      })
    ).json() as AddedMember;
    const drill = await create({ recorded: false, trackerIds: [rex.memberId] });
    await send('POST', `/api/operations/${drill.operation.id}/actions`, lead, { action: 'start' });
    const url = `/api/drills/${drill.operation.id}/find`;
    expect((await send('POST', url, second, { trackerId: rex.memberId })).statusCode).toBe(403);
    const found = await send('POST', url, tracker, { trackerId: rex.memberId });
    expect(found.statusCode, found.body).toBe(201);
    expect((found.json() as Drill).finds[0]).toMatchObject({
      trackerId: rex.memberId,
      recordedBy: tracker.memberId,
    });
    // The handler also sees the dog's progress, as they see its record.
    expect((await send('GET', `/api/members/${rex.memberId}/progress`, tracker)).statusCode).toBe(200);
    expect((await send('GET', `/api/members/${rex.memberId}/progress`, second)).statusCode).toBe(403);
  });

  it('runs a drill live: positions in, a detected find, and live tracks scored at ENDEX', async () => {
    const drill = await create({ recorded: false, findRadiusM: 10 });
    const start = (
      await send('POST', `/api/operations/${drill.operation.id}/actions`, lead, { action: 'start' })
    ).json();
    expect(start.state).toBe('running');
    const t0 = clock.ms;
    // The runner walks 300 m east and hides; the tracker follows 5 m beside, a little later.
    const r = track(
      ORIGIN,
      [
        [0, 0, 0],
        [300, 0, 300],
      ],
      30,
      t0 + 1000,
    );
    const t = track(
      ORIGIN,
      [
        [0, 5, 400],
        [320, 5, 720],
      ],
      20,
      t0 + 1000,
    );
    for (const p of r) expect((await report(runner, p)).statusCode).toBe(200);
    expect(await h.services.drillLive.detectFinds()).toBe(0);
    for (const p of t) expect((await report(tracker, p)).statusCode).toBe(200);
    expect(await h.services.drillLive.detectFinds()).toBe(1);
    expect(await h.services.drillLive.detectFinds()).toBe(0);
    const live = (await send('GET', `/api/drills/${drill.operation.id}`, lead)).json() as Drill;
    expect(live.finds).toHaveLength(1);
    expect(live.finds[0]).toMatchObject({
      trackerId: tracker.memberId,
      source: 'detected',
      recordedBy: null,
    });
    const findMs = Date.parse(live.finds[0]?.time ?? '');
    expect(findMs).toBeCloseTo(t0 + 1000 + (400 + 300 - Math.sqrt(100 - 25)) * 1000, -3);
    expect(live.results[0]?.score).toBeNull();

    clock.ms += 60_000;
    const ended = await send('POST', `/api/operations/${drill.operation.id}/actions`, lead, {
      action: 'end',
    });
    expect(ended.json().state).toBe('ended');
    const scored = (await send('GET', `/api/drills/${drill.operation.id}`, lead)).json() as Drill;
    expect(scored.tracks.map((x) => [x.role, x.source, x.pointCount])).toEqual([
      ['runner', 'live', r.length],
      ['tracker', 'live', t.length],
    ]);
    const score = scored.results[0]?.score;
    expect(score?.shareFollowed).toBe(1);
    expect(score?.findSource).toBe('detected');
    expect(score?.findTimeMs).toBeCloseTo(findMs, -2);
    expect(Math.abs((score?.deviationMeanM ?? 0) - 5)).toBeLessThan(0.5);
    expect(scored.light).not.toBeNull();
    const events = await d.db
      .selectFrom('events')
      .select(['type', 'mode'])
      .where('type', '=', 'drill.updated')
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.mode === 'exercise')).toBe(true);
  });

  it('detects no find while runner and tracker still stand together at the start', async () => {
    const drill = await create({ recorded: false, findRadiusM: 10 });
    await send('POST', `/api/operations/${drill.operation.id}/actions`, lead, { action: 'start' });
    for (let i = 1; i <= 5; i++) {
      clock.ms += 2000;
      for (const [who, east] of [
        [runner, 0],
        [tracker, 3],
      ] as const) {
        await report(who, track(ORIGIN, [[east, 0, 0]], 1, clock.ms)[0] as TrackPoint);
      }
      expect(await h.services.drillLive.detectFinds()).toBe(0);
    }
    expect(await count('drill_finds')).toBe(0);
  });

  it('keeps and scores what was tracked when a real incident suspends the drill', async () => {
    const drill = await create({ recorded: false });
    await send('POST', `/api/operations/${drill.operation.id}/actions`, lead, { action: 'start' });
    const r = track(
      ORIGIN,
      [
        [0, 0, 0],
        [300, 0, 300],
      ],
      30,
      clock.ms + 1000,
    );
    const t = track(
      ORIGIN,
      [
        [0, 12, 400],
        [280, 12, 680],
      ],
      20,
      clock.ms + 1000,
    );
    for (const [who, ps] of [
      [runner, r],
      [tracker, t],
    ] as const) {
      for (const p of ps) expect((await report(who, p)).statusCode).toBe(200);
    }
    clock.ms += 5000;
    const escalated = await send('POST', '/api/escalate', tracker, { reason: 'Real fall, ankle' });
    expect(escalated.statusCode, escalated.body).toBe(201);
    const kept = (await send('GET', `/api/drills/${drill.operation.id}`, lead)).json() as Drill;
    expect(kept.operation.state).toBe('suspended');
    expect(kept.tracks.map((x) => [x.role, x.source])).toEqual([
      ['runner', 'live'],
      ['tracker', 'live'],
    ]);
    // The tracker stopped 20 m short of the hide when the emergency began.
    expect(kept.results[0]?.score?.shareFollowed).toBeGreaterThan(0.95);
    expect(kept.results[0]?.score?.shareFollowed).toBeLessThan(1);
  });

  it('charts a tracker’s progress over drills, by skill, with trend and best', async () => {
    const trailing = await addSkill(lead, 'Trailing');
    const first = await recordedDrill(25, 0, { skillIds: [trailing] });
    const later = await recordedDrill(10, 30);
    expect(first.results[0]?.score?.shareFollowed).toBeLessThan(1);
    const res = await send('GET', `/api/members/${tracker.memberId}/progress`, tracker);
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as Progress;
    expect(p.points.map((x) => x.drillId)).toEqual([first.operation.id, later.operation.id]);
    const share = p.measures.find((m) => m.measure === 'shareFollowed');
    expect(share?.best).toMatchObject({ drillId: later.operation.id, value: 1 });
    expect(share?.improving).toBe(true);
    expect(share?.trendPer30Days).toBeGreaterThan(0);
    const dev = p.measures.find((m) => m.measure === 'meanDeviationM');
    expect(dev?.best?.drillId).toBe(later.operation.id);
    expect(dev?.trendPer30Days).toBeCloseTo(-15, 0);

    const bySkill = (
      await send('GET', `/api/members/${tracker.memberId}/progress?skillId=${trailing}`, lead)
    ).json();
    expect(bySkill.points.map((x: { drillId: string }) => x.drillId)).toEqual([first.operation.id]);
    expect(bySkill.skillId).toBe(trailing);
    expect((await send('GET', `/api/members/${tracker.memberId}/progress`, second)).statusCode).toBe(403);
    expect((await send('GET', `/api/members/${tracker.memberId}/progress?skillId=x`, lead)).statusCode).toBe(
      400,
    );
    expect((await send('GET', `/api/members/${randomUUID()}/progress`, lead)).statusCode).toBe(404);
    const none = (await send('GET', `/api/members/${runner.memberId}/progress`, runner)).json() as Progress;
    expect(none.points).toEqual([]);
  });
});
