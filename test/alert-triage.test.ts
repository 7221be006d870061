// The five-person drill of the issue that asked for alert triage, replayed through the HTTP API and the
// alert clock on every engine: what the monitor raises, what each phone has to take in and in which order,
// who the re-sends go to, and one acknowledgement for a group.
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../src/contract/alerts.ts';
import type { LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { destination, type Point } from '../src/domain/geo.ts';
import { itemHeadline, pendingFor } from '../src/domain/triage.ts';
import { lastSeq } from '../src/store/events.repo.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const bearer = (m: AddedMember) => ({ authorization: `Bearer ${m.token}` });
const BASE = { lat: 51.0543, lon: -1.3188 };
const START = Date.parse('2026-11-25T16:00:00Z');
/** BRAVO's distance from ALFA, one reading every 5 s: GPS jitter at the 300 m limit. */
const JITTER_M = [301, 308, 296, 301, 308, 297, 303, 306, 299];

describe.each(engines)('alert triage in a five-person drill on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h, d } = useHarness(engine, { clock, resetBeforeEach: true });
  let lead: AddedMember;
  let runner: AddedMember;
  let opfor: AddedMember;
  let alfa: AddedMember;
  let bravo: AddedMember;
  let live: LiveMessage[];

  beforeEach(async () => {
    lead = await h.addMember('Pack', 'LEAD', { role: 'leader' });
    runner = await h.addMember('Pack', 'RUNNER');
    opfor = await h.addMember('Pack', 'OPFOR');
    alfa = await h.addMember('Pack', 'ALFA');
    bravo = await h.addMember('Pack', 'BRAVO');
    live = [];
    h.services.bus.subscribe(lead.teamId, (m) => live.push(m));
  });

  const post = (url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method: 'POST', url, headers: bearer(who), payload });
  const alerts = async (): Promise<Alert[]> =>
    (await h.app.inject({ method: 'GET', url: '/api/alerts', headers: bearer(lead) })).json().alerts;
  const fix = (m: AddedMember, p: Point) =>
    h.services.positions.reportFromDevice({
      deviceId: m.device,
      time: clock.now(),
      lat: p.lat,
      lon: p.lon,
      source: 'osmand',
    });
  const count = async (table: 'alert_acks') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  /** What a member's phone has to take in now, headline by headline, in order. */
  const phone = async (m: AddedMember, role: 'leader' | 'member' = 'member') => {
    const list = (await alerts()).map((a) => ({
      ...a,
      timeMs: Date.parse(a.time),
      ackedBy: a.acknowledgements.map((k) => k.memberId),
    }));
    return pendingFor(list, { memberId: m.memberId, role }).map(itemHeadline);
  };

  /** `seconds` of the drill, one clock tick a second, positions every 5 s; LEAD at the console never reports. */
  const play = async (seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      const t = (clock.ms - START) / 1000;
      if (t % 5 === 0) {
        await fix(runner, destination(BASE, 0, 1200 + t)); // walking away, as runners do
        await fix(opfor, destination(BASE, 90, 800));
        await fix(alfa, BASE);
        await fix(bravo, destination(BASE, 180, JITTER_M[(t / 5) % JITTER_M.length] ?? 300));
      }
      await h.services.alerts.tick();
      clock.ms += 1000;
    }
  };

  const startDrill = async () => {
    const res = await post('/api/operations', lead, {
      name: 'Runner and trackers at dusk',
      participants: [
        { memberId: lead.memberId, role: 'controller' },
        { memberId: runner.memberId, role: 'runner' },
        { memberId: opfor.memberId, role: 'opposing_force' },
        { memberId: alfa.memberId, role: 'tracker' },
        { memberId: bravo.memberId, role: 'tracker' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(
      (await post(`/api/operations/${res.json().id}/actions`, lead, { action: 'start' })).statusCode,
    ).toBe(200);
  };

  it('raises nothing in three minutes of drill: the runner alone, the controller at the console, 301/308 m jitter', async () => {
    await startDrill();
    await play(180);
    expect(await alerts()).toEqual([]);
  });

  it('shows the escalation first and alone, the conditions grouped behind it, and one acknowledgement covers the group', async () => {
    await startDrill();
    await play(60);
    const esc = await post('/api/escalate', alfa, { reason: 'not practice: a walker fell at the quarry' });
    expect(esc.statusCode, esc.body).toBe(201);
    await play(10);
    // The declaration is out before any condition of the incident.
    expect((await alerts()).map((a) => a.type)).toEqual(['escalation']);
    expect(await phone(bravo)).toEqual(['REAL WORLD declared by ALFA']);
    await play(20);

    const all = await alerts();
    expect(all.map((a) => `${a.type} ${a.mode} ${a.subject ?? a.sender}`).sort()).toEqual([
      'escalation real ALFA',
      'separation real OPFOR',
      'separation real RUNNER',
    ]);
    expect(await phone(lead, 'leader')).toEqual([
      'REAL WORLD declared by ALFA',
      '2 members separated from the team',
    ]);
    expect(await phone(bravo)).toEqual(['REAL WORLD declared by ALFA']);
    expect(await phone(runner)).toEqual(['REAL WORLD declared by ALFA', 'RUNNER is separated from the team']);
    expect(await phone(alfa)).toEqual([]); // she declared it

    // Re-sends: the escalation to everyone who has not acknowledged it, a separation to the leader and its subject.
    const separations = all.filter((a) => a.type === 'separation');
    const escalation = all.find((a) => a.type === 'escalation');
    await play(31);
    const reminders = live.flatMap((m) => (m.type === 'alert.reminder' ? [m] : []));
    expect(reminders.find((r) => r.alertId === escalation?.id)?.memberIds.sort()).toEqual(
      [lead, runner, opfor, alfa, bravo].map((m) => m.memberId).sort(),
    );
    for (const sep of separations) {
      const sent = live.flatMap((m) => (m.type === 'alert.reminder' && m.alertId === sep.id ? [m] : []));
      expect(sent.length, sep.subject ?? '').toBeGreaterThan(0);
      for (const r of sent) expect(r.memberIds.sort()).toEqual([lead.memberId, sep.subjectId].sort());
    }

    // One acknowledgement for the group.
    await post(`/api/alerts/${escalation?.id}/ack`, lead);
    const seq = await lastSeq(d.db, lead.teamId);
    const res = await post('/api/alerts/ack', lead, { alertIds: separations.map((a) => a.id) });
    expect(res.statusCode, res.body).toBe(200);
    const acked = res.json().alerts as Alert[];
    expect(acked.map((a) => a.id)).toEqual(separations.map((a) => a.id));
    for (const a of acked) expect(a.acknowledgements.map((k) => k.callsign)).toEqual(['LEAD']);
    expect(await lastSeq(d.db, lead.teamId)).toBe(seq + 2); // one acknowledged event each
    expect(await phone(lead, 'leader')).toEqual([]);
    // Again: nothing more is recorded.
    expect((await post('/api/alerts/ack', lead, { alertIds: separations.map((a) => a.id) })).statusCode).toBe(
      200,
    );
    expect(await lastSeq(d.db, lead.teamId)).toBe(seq + 2);
  });

  it('answers bad input for a group acknowledgement with a 400 naming the field, another team’s alert with a 404, changing nothing', async () => {
    const sos = (await post('/api/alerts/sos', alfa, { position: BASE })).json() as Alert;
    const other = await h.addMember('Other pack', 'OTHER', { role: 'leader' });
    const theirs = (await post('/api/alerts/sos', other, {})).json() as Alert;
    const seq = await lastSeq(d.db, lead.teamId);
    const before = await count('alert_acks');
    const cases: [object | undefined, string][] = [
      [{}, 'alertIds'],
      [{ alertIds: [] }, 'alertIds'],
      [{ alertIds: 'all' }, 'alertIds'],
      [{ alertIds: [sos.id, 'not-an-id'] }, 'alertIds.1'],
      [{ alertIds: Array(501).fill(sos.id) }, 'alertIds'],
    ];
    for (const [payload, field] of cases) {
      const res = await post('/api/alerts/ack', bravo, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.details.field, JSON.stringify(payload)).toBe(field);
    }
    for (const ids of [[sos.id, theirs.id], ['00000000-0000-4000-8000-000000000000']]) {
      const res = await post('/api/alerts/ack', bravo, { alertIds: ids });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.details.field).toBe('alertIds');
    }
    expect(await count('alert_acks')).toBe(before);
    expect(await lastSeq(d.db, lead.teamId)).toBe(seq);
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/alerts/ack', payload: { alertIds: [sos.id] } }))
        .statusCode,
    ).toBe(401);
  });

  it('raises no separation at a callout for members still at home, and watches them once they arrive', async () => {
    const rendezvous = destination(BASE, 45, 3000);
    const res = await post('/api/callouts', lead, {
      name: 'Missing walker, north ridge',
      reason: 'Walker overdue since noon',
      position: rendezvous,
    });
    expect(res.statusCode, res.body).toBe(201);
    const at = async (m: AddedMember, p: Point) => fix(m, p);
    const minute = async (places: Array<[AddedMember, Point]>) => {
      for (let s = 0; s < 60; s += 5) {
        for (const [m, p] of places) await at(m, p);
        for (let i = 0; i < 5; i++) {
          await h.services.alerts.tick();
          clock.ms += 1000;
        }
      }
    };
    // Everyone at home, kilometres apart.
    await minute([
      [alfa, BASE],
      [bravo, destination(BASE, 180, 2500)],
      [runner, destination(BASE, 270, 4000)],
    ]);
    expect((await alerts()).filter((a) => a.type !== 'escalation')).toEqual([]);
    // ALFA and BRAVO arrive at the rendezvous; RUNNER is still on the way.
    await minute([
      [alfa, rendezvous],
      [bravo, destination(rendezvous, 90, 50)],
      [runner, destination(BASE, 270, 1000)],
    ]);
    expect((await alerts()).filter((a) => a.type !== 'escalation')).toEqual([]);
    // BRAVO wanders off from the group: that is what separation is about.
    await minute([
      [alfa, rendezvous],
      [bravo, destination(rendezvous, 90, 900)],
      [runner, destination(BASE, 270, 500)],
    ]);
    const raised = (await alerts()).filter((a) => a.type !== 'escalation');
    expect(raised.map((a) => `${a.type} ${a.subject}`).sort()).toEqual([
      'separation ALFA',
      'separation BRAVO',
    ]);
  });
});
