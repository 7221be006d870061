// Replay: an operation recorded through the real services (positions every 5 s, STARTEX, an exercise
// contact, the escalation with its alert and roll call, acknowledgements, a real contact, a member gone
// silent, the close), then its replay fetched over HTTP and the domain's state at several moments checked
// against what the live feed showed a console at those moments.
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { Replay } from '../src/contract/replay.ts';
import { destination, type Point } from '../src/domain/geo.ts';
import { teamMode } from '../src/domain/mode.ts';
import { replayStateAt } from '../src/domain/replay.ts';
import { type MemberTrack, toUnits, unpackTracks } from '../src/domain/replay-tracks.ts';
import type { MemberAuth } from '../src/services/core/auth.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');
const BASE: Point = { lat: 45.5231, lon: -122.6765 };
const PACK = ['DEREK', 'SCOTT', 'ISAAC', 'STILES', 'ALLISON', 'LYDIA'] as const;
type Callsign = (typeof PACK)[number];
const unzip = promisify(gunzip);

/** What a console connecting at that moment was shown, and when. */
interface Seen {
  label: string;
  tMs: number;
  snapshot: Extract<LiveMessage, { type: 'snapshot' }>;
  stale: Record<string, boolean>;
}

describe.each(engines)('replay on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  const m = {} as Record<Callsign, AddedMember>;
  const as = {} as Record<Callsign, MemberAuth>;
  let teamId = '';

  beforeEach(async () => {
    for (const cs of PACK) {
      m[cs] = await h.addMember('Hale pack', cs, { role: cs === 'DEREK' ? 'leader' : 'member' });
      const auth = await h.services.tokens.authenticate(m[cs].token, ['device']);
      if (!auth) throw new Error(`no auth for ${cs}`);
      as[cs] = auth;
    }
    teamId = m.DEREK.teamId;
  });

  const get = (url: string, who: AddedMember, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who.token}`, ...headers } });
  const replayOf = async (url: string, who: AddedMember = m.SCOTT): Promise<Replay> => {
    const res = await get(url, who);
    expect(res.statusCode, res.body).toBe(200);
    return Replay.parse(res.json());
  };

  /** Where each member walks: out from the base on their own bearing, at their own pace (m/s). */
  const silent = new Set<Callsign>();
  const placeOf = (i: number, tMs: number) =>
    destination(BASE, i * 60 + 15, 20 + (0.8 + i * 0.15) * ((tMs - START) / 1000));
  const report = async () => {
    for (const [i, cs] of PACK.entries()) {
      if (silent.has(cs)) continue;
      await h.services.positions.reportFromDevice({
        deviceId: m[cs].device,
        time: clock.now(),
        ...placeOf(i, clock.ms),
        accuracyM: 6,
        source: 'osmand',
      });
    }
  };
  /** The clock moves on in steps of 5 s, every member who is not silent reporting at each. */
  const walk = async (seconds: number) => {
    for (let s = 0; s < seconds; s += 5) {
      clock.ms += 5_000;
      await report();
    }
  };
  const seen: Seen[] = [];
  const look = async (label: string) => {
    const messages = await h.services.live.catchUp(as.SCOTT, teamId);
    const snapshot = messages.at(-1);
    if (snapshot?.type !== 'snapshot') throw new Error('no snapshot');
    const latest = await h.services.positions.latest(as.SCOTT, teamId);
    const stale = Object.fromEntries(latest.features.map((f) => [f.properties.memberId, f.properties.stale]));
    seen.push({ label, tMs: clock.ms, snapshot, stale });
    // What happens next happens later: a moment of the replay sees everything logged by then.
    clock.ms += 1000;
  };

  /** The Hale House story, shortened: a mock attack that turns real. Returns the exercise's id. */
  const recordStory = async (): Promise<string> => {
    seen.length = 0;
    silent.clear();
    await report();
    const ex = await h.services.operations.createExercise(as.DEREK, teamId, {
      name: 'Mock attack at the old Hale House',
      participants: [
        { memberId: m.STILES.memberId, role: 'runner' },
        { memberId: m.SCOTT.memberId, role: 'tracker' },
      ],
    });
    await walk(60);
    await h.services.operations.act(as.DEREK, teamId, ex.id, 'start');
    await walk(120);
    await look('exercise running');
    await h.services.contacts.report(as.ISAAC, teamId, {
      count: 6,
      position: destination(BASE, 30, 600),
      text: 'Six armed people, not ours',
    });
    await walk(60);
    await look('exercise contact reported');
    const incident = await h.services.operations.escalate(as.DEREK, teamId, 'Hostiles are real', BASE);
    await look('escalated');
    const alert = (await h.services.alerts.list(as.DEREK, teamId)).find((a) => a.type === 'escalation');
    if (!alert) throw new Error('no escalation alert');
    await walk(30);
    for (const cs of ['SCOTT', 'ISAAC', 'ALLISON'] as const)
      await h.services.alerts.acknowledge(as[cs], alert.id);
    await h.services.incidents.answerRollCall(as.SCOTT, teamId, { status: 'ok' });
    await h.services.incidents.answerRollCall(as.LYDIA, teamId, {
      status: 'injured',
      memberId: m.STILES.memberId,
    });
    await walk(30);
    await look('acknowledged in part');
    await h.services.contacts.report(as.ALLISON, teamId, { count: 4, position: destination(BASE, 25, 850) });
    await h.services.alerts.acknowledge(as.STILES, alert.id);
    await h.services.incidents.answerRollCall(as.DEREK, teamId, { status: 'ok' });
    silent.add('STILES');
    await walk(180);
    await look('Stiles silent past the stale limit');
    for (const cs of ['ISAAC', 'ALLISON', 'LYDIA'] as const)
      await h.services.incidents.answerRollCall(as[cs], teamId, { status: 'ok' });
    await walk(20);
    await h.services.operations.close(as.DEREK, teamId, incident.id, 'All home.');
    await look('closed');
    return ex.id;
  };

  it('replays an exercise that turned real: the state at each moment is what the live feed showed then', async () => {
    const exerciseId = await recordStory();
    const replay = await replayOf(`/api/operations/${exerciseId}/replay`);
    expect(replay.operations.map((o) => [o.kind, o.state])).toEqual([
      ['exercise', 'suspended'],
      ['incident', 'closed'],
    ]);
    expect(replay.from).toBe(replay.operations[0]?.startedAt);
    expect(replay.to).toBe(replay.operations[1]?.endedAt);
    expect(replay.members.map((x) => x.callsign)).toEqual([...PACK]);
    // Planning came before STARTEX: its event is context, the rest of the story is in the window.
    expect(replay.context.map((e) => [e.event.type, 'change' in e.event && e.event.change])).toEqual([
      ['operation.updated', 'created'],
    ]);
    expect(replay.events[0]?.event).toMatchObject({ type: 'operation.updated', change: 'started' });

    const events = [...replay.context, ...replay.events].map((e) => ({
      ...e.event,
      timeMs: Date.parse(e.time),
    }));
    const tracks = unpackTracks(replay.positions);
    const staleMs = replay.staleSeconds * 1000;
    expect(seen.map((s) => s.label)).toHaveLength(6);
    for (const s of seen) {
      const state = replayStateAt({ events, tracks }, s.tMs, { staleMs, tailMs: 60_000 });
      const live = s.snapshot;
      const why = `at "${s.label}"`;
      expect(state.active?.id ?? null, why).toBe(live.operation?.id ?? null);
      expect(state.active?.state ?? null, why).toBe(live.operation?.state ?? null);
      expect(state.mode, why).toBe(teamMode(live.operation));
      const byId = <T extends { id: string }>(list: readonly T[]) =>
        [...list].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(state.alerts.filter((a) => a.state === 'active')), why).toEqual(byId(live.alerts));
      // The live board is the active operation's; after the close the replay keeps the last roll call.
      if (live.operation) expect(state.rollCall, why).toEqual(live.board?.rollCall ?? null);
      const contacts = state.contacts
        .map((c) => c.contact)
        .filter((c) => c.operationId === live.operation?.id);
      expect(byId(contacts), why).toEqual(byId(live.board?.contacts ?? []));
      // Each member where the live map had them: their last fix then (to the millionth of a degree), stale or not.
      expect(state.members.map((x) => x.memberId).sort(), why).toEqual(
        live.positions.map((p) => p.memberId).sort(),
      );
      for (const p of live.positions) {
        const at = state.members.find((x) => x.memberId === p.memberId);
        const track = tracks.find((t) => t.memberId === p.memberId) as MemberTrack;
        expect(at?.fixMs, why).toBe(Date.parse(p.time));
        expect(track.lat[at?.fixIndex ?? -1], why).toBe(toUnits(p.lat) / 1e6);
        expect(track.lon[at?.fixIndex ?? -1], why).toBe(toUnits(p.lon) / 1e6);
        expect(at?.stale, `${why}: ${p.memberId}`).toBe(s.stale[p.memberId]);
      }
    }
    const [running, contact, escalated, acked, silentStiles, closed] = seen.map((s) =>
      replayStateAt({ events, tracks }, s.tMs, { staleMs, tailMs: 60_000 }),
    );
    expect([running?.mode, contact?.mode, escalated?.mode, closed?.mode]).toEqual([
      'exercise',
      'exercise',
      'real',
      'real',
    ]);
    expect(contact?.contacts.map((c) => c.mode)).toEqual(['exercise']);
    expect([...(acked?.accountability?.accounted ?? [])].sort()).toEqual(
      [m.SCOTT.memberId, m.STILES.memberId].sort(),
    );
    expect(silentStiles?.members.find((x) => x.memberId === m.STILES.memberId)?.stale).toBe(true);
    expect(closed?.active).toBeNull();
    expect(closed?.accountability).toMatchObject({ unaccounted: [], pending: [], total: PACK.length });
    // Between two fixes a member is on the line between them.
    const derek = tracks.find((t) => t.memberId === m.DEREK.memberId) as MemberTrack;
    const mid = replayStateAt({ events, tracks }, START + 62_500, { staleMs, tailMs: 60_000 });
    const between = mid.members.find((x) => x.memberId === m.DEREK.memberId);
    const i = between?.fixIndex ?? 0;
    expect(between?.lat).toBeCloseTo(((derek.lat[i] ?? 0) + (derek.lat[i + 1] ?? 0)) / 2, 9);
  }, 120_000);

  it('answers the incident with the exercise it interrupted, and any window of the team with what came before', async () => {
    const exerciseId = await recordStory();
    const byExercise = await replayOf(`/api/operations/${exerciseId}/replay`);
    const incidentId = byExercise.operations[1]?.id ?? '';
    const byIncident = await replayOf(`/api/operations/${incidentId}/replay`);
    expect({ ...byIncident, operations: [] }).toEqual({ ...byExercise, operations: [] });

    // A window starting after the escalation: the incident, its alert and roll call come as context.
    const esc = seen.find((s) => s.label === 'escalated')?.tMs ?? 0;
    const from = new Date(esc + 60_000).toISOString();
    const to = new Date(esc + 120_000).toISOString();
    const w = await replayOf(`/api/replay?from=${from}&to=${to}`);
    expect([w.from, w.to]).toEqual([from, to]);
    const types = w.context.map((e) => e.event.type);
    expect(types).toContain('rollcall.updated');
    expect(types).toContain('alert.updated');
    const events = [...w.context, ...w.events].map((e) => ({ ...e.event, timeMs: Date.parse(e.time) }));
    const atStart = replayStateAt({ events, tracks: unpackTracks(w.positions) }, Date.parse(from), {
      staleMs: w.staleSeconds * 1000,
      tailMs: 60_000,
    });
    expect(atStart.mode).toBe('real');
    expect(atStart.active?.id).toBe(incidentId);
    expect(atStart.members).toHaveLength(PACK.length);
    expect(w.events.every((e) => e.time >= from && e.time <= to)).toBe(true);
  }, 120_000);

  it('packs positions so that they unpack to exactly the stored fixes, gzipped when the client accepts it', async () => {
    const exerciseId = await recordStory();
    const url = `/api/operations/${exerciseId}/replay`;
    const plain = await get(url, m.LYDIA);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await get(url, m.LYDIA, { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/^application\/json/);
    const unzipped = (await unzip(zipped.rawPayload)).toString();
    expect(unzipped).toBe(plain.body);
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);

    const replay = Replay.parse(plain.json());
    const stored = await sql<{ member_id: string; time: Date; lat: number; lon: number }>`
      select member_id, time, lat, lon from positions
      where team_id = ${teamId} and time >= ${new Date(Date.parse(replay.from) - replay.staleSeconds * 1000)}
        and time <= ${new Date(replay.to)}
      order by member_id, time, id`.execute(d.db);
    const unpacked = unpackTracks(replay.positions).flatMap((t) =>
      Array.from(t.t, (time, i) => ({ member_id: t.memberId, time, lat: t.lat[i], lon: t.lon[i] })),
    );
    expect(replay.positions.count).toBe(stored.rows.length);
    expect(unpacked).toEqual(
      stored.rows
        .map((r) => ({
          member_id: r.member_id,
          time: new Date(r.time).getTime(),
          lat: toUnits(r.lat) / 1e6,
          lon: toUnits(r.lon) / 1e6,
        }))
        .sort((a, b) => (a.member_id < b.member_id ? -1 : a.member_id > b.member_id ? 1 : 0)),
    );
    expect(replay.positions.sampledEveryS).toBeNull();
  }, 120_000);

  it('answers an operation with no positions with an empty replay, not an error', async () => {
    const ex = await h.services.operations.createExercise(as.DEREK, teamId, { name: 'Table-top' });
    clock.ms += 60_000;
    await h.services.operations.act(as.DEREK, teamId, ex.id, 'start');
    clock.ms += 600_000;
    await h.services.operations.act(as.DEREK, teamId, ex.id, 'end');
    const replay = await replayOf(`/api/operations/${ex.id}/replay`);
    expect(replay.positions).toEqual({ t0: START + 60_000, count: 0, sampledEveryS: null, tracks: [] });
    expect(replay.events.map((e) => 'change' in e.event && e.event.change)).toEqual(['started', 'ended']);
    expect([replay.from, replay.to]).toEqual(
      [new Date(START + 60_000), new Date(START + 660_000)].map((x) => x.toISOString()),
    );
    // A planned exercise never run has nothing to replay either.
    const planned = await h.services.operations.createExercise(as.DEREK, teamId, { name: 'Next week' });
    const empty = await replayOf(`/api/operations/${planned.id}/replay`);
    expect(empty.positions.tracks).toEqual([]);
    expect(empty.from).toBe(empty.to);
  });

  it('refuses bad input with a clear error and never another team’s data', async () => {
    const ex = await h.services.operations.createExercise(as.DEREK, teamId, { name: 'Ours' });
    const stranger = await h.addMember('Argents', 'CHRIS', { role: 'leader' });
    const unknown = await get('/api/operations/5b1d1f0e-8c5e-4c39-9a2f-1f6f4a1f2b3c/replay', m.SCOTT);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: { code: 'not_found', message: 'operation not found' } });
    const theirs = await get(`/api/operations/${ex.id}/replay`, stranger);
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain('Ours');
    expect((await get('/api/operations/not-an-id/replay', m.SCOTT)).statusCode).toBe(400);
    const noAuth = await h.app.inject({ method: 'GET', url: `/api/operations/${ex.id}/replay` });
    expect(noAuth.statusCode).toBe(401);

    const long = await get('/api/replay?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:01Z', m.SCOTT);
    expect(long.statusCode).toBe(400);
    expect(long.json().error).toMatchObject({ code: 'invalid_input', details: { field: 'to' } });
    expect(long.json().error.message).toMatch(/^to: at most 7 days after from/);
    const backwards = await get('/api/replay?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', m.SCOTT);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error).toMatchObject({
      details: { field: 'to' },
      message: 'to: must be after from',
    });
    const missing = await get('/api/replay?from=2026-11-02T00:00:00Z', m.SCOTT);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.field).toBe('to');
    // Exactly seven days is fine; the service refuses a longer one too (for callers without the route).
    expect(
      (await get('/api/replay?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z', m.SCOTT)).statusCode,
    ).toBe(200);
    await expect(
      h.services.replay.ofWindow(as.SCOTT, teamId, new Date('2026-11-01'), new Date('2026-11-09')),
    ).rejects.toMatchObject({ status: 400, details: { field: 'to' } });
    await expect(h.services.replay.ofOperation(as.SCOTT, stranger.teamId, ex.id)).rejects.toMatchObject({
      status: 403,
    });
  });
});
