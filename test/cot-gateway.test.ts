import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { startCotServer } from '../src/gateways/cot/server.ts';
import type { MemberAuth } from '../src/services/core/auth.ts';
import {
  ATAK_GEOCHAT,
  ATAK_SA_GEMINI,
  ATAK_SA_NO_FIX,
  atakCancel,
  atakEmergency,
  atakHostile,
  ITAK_SA,
  retime,
  takProtocolRequest,
  withUid,
} from './fixtures/cot/captures.ts';
import { useCotServer } from './support/cot.ts';
import { engines } from './support/engines.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { useHarness } from './support/setup.ts';

const ADMIN = { kind: 'admin' } as const;
const RESEND_MS = 250;

describe.each(engines)('CoT (TAK) gateway over TCP on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let n = 0;
  const { logger, logs } = recordingLogger();

  const cot = useCotServer(h, { logger, resendMs: RESEND_MS });

  const client = async () => {
    const c = await cot.connect();
    return c;
  };
  const newTeam = () => `TAK team ${++n}`;
  /** A member whose TAK uid is registered as their device. */
  const takMember = (team: string, callsign = `CS${++n}`) =>
    h.addMember(team, callsign, { device: `ANDROID-${engine.name}-${++n}` });
  const authOf = (m: AddedMember): MemberAuth => ({
    kind: 'member',
    memberId: m.memberId,
    teamId: m.teamId,
    role: m.role,
    tokenId: '',
    via: 'device',
  });
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('id').execute();
  const rowsOfMember = (memberId: string) =>
    d.db.selectFrom('positions').selectAll().where('member_id', '=', memberId).execute();
  const alertsOf = (teamId: string) => h.services.alerts.list(ADMIN, teamId);
  const sa = (uid: string, lat = 46.55, lon = 7.98, xml = ATAK_SA_GEMINI) =>
    retime(
      withUid(xml, uid)
        .replace(/lat="[^"]*"/, `lat="${lat}"`)
        .replace(/lon="[^"]*"/, `lon="${lon}"`),
    );
  /** Connects a TAK client for the member and binds it with one SA event. */
  const bound = async (m: AddedMember, lat = 46.55, lon = 7.98) => {
    const c = await client();
    c.send(sa(m.device, lat, lon));
    await c.sync();
    return c;
  };
  const startExercise = async (teamId: string) => {
    const ex = await h.services.operations.createExercise(ADMIN, teamId, {
      name: 'Drill',
      scenario: '',
      participants: [],
      injects: [],
    });
    await h.services.operations.act(ADMIN, teamId, ex.id, 'start');
    return ex;
  };
  describe('in: positions', () => {
    it('stores an ATAK SA event as the position of the member whose device the uid is, in the team mode', async () => {
      const m = await takMember(newTeam());
      const c = await client();
      const at = new Date(Date.now() - 5_000);
      c.send(retime(withUid(ATAK_SA_GEMINI, m.device), at));
      await c.sync();
      const rows = await rowsOf(m.device);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        member_id: m.memberId,
        lat: 36.72459169511786,
        lon: -86.70106407887,
        altitude: 173.88848408788164,
        accuracy: null,
        speed: 0,
        bearing: 228.70356179340502,
        battery: 100,
        source: 'cot',
        mode: 'real',
      });
      expect(new Date(rows[0]?.time ?? 0).toISOString()).toBe(at.toISOString());
    });

    it('stores an iTAK SA event, and an exercise mode while an exercise runs', async () => {
      const m = await takMember(newTeam());
      await startExercise(m.teamId);
      const c = await client();
      c.send(retime(withUid(ITAK_SA, m.device)));
      await c.sync();
      expect(await rowsOf(m.device)).toEqual([
        expect.objectContaining({ lat: 41.52309645, lon: -107.72376567, battery: 100, mode: 'exercise' }),
      ]);
    });

    it('answers a keep-alive ping, bound or not', async () => {
      const c = await client();
      await c.sync();
      expect(c.of('t-x-c-t-r')).toHaveLength(1);
    });

    it('declines TAK Protocol (protobuf) negotiation and keeps talking XML', async () => {
      const c = await client();
      c.send(takProtocolRequest());
      const answer = await c.waitFor((r) => r.attrs.type === 't-x-takp-r');
      expect(answer.attrs.uid).toBe('protouid');
      expect(answer.detail?.TakControl?.TakResponse?.status).toBe('false');
      await c.sync();
    });

    it('logs GeoChat and ignores it, and ignores unknown types', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      c.send(ATAK_GEOCHAT);
      c.send(retime(withUid(ITAK_SA, 'pin-1').replace('a-f-G-E-V-C', 'b-m-p-s-p-i')));
      await c.sync();
      expect(logs.some((l) => /GeoChat not relayed/.test(l.msg))).toBe(true);
      expect(await rowsOfMember(m.memberId)).toHaveLength(1);
      expect(c.isClosed).toBe(false);
    });

    it('holds the events of an unknown uid: nothing stored, nothing broadcast', async () => {
      const team = newTeam();
      const watcher = await bound(await takMember(team));
      const stranger = await client();
      const uid = `ANDROID-stranger-${engine.name}-${++n}`;
      stranger.send(sa(uid));
      stranger.send(
        atakEmergency({ uid, callsign: 'STRANGER', type: 'b-a-o-tbl', label: '911 Alert', lat: 46, lon: 7 }),
      );
      await stranger.sync();
      expect(await rowsOf(uid)).toEqual([]);
      expect(cot.server.held().find((e) => e.uid === uid)).toMatchObject({
        uid,
        count: 2,
        callsign: 'GEMINI',
      });
      expect(logs.some((l) => l.obj.uid === uid && /unknown uid/.test(l.msg))).toBe(true);
      await watcher.sync();
      expect(watcher.received.filter((r) => r.xml.includes('STRANGER') || r.xml.includes('GEMINI'))).toEqual(
        [],
      );
      expect(stranger.received.filter((r) => r.attrs.type !== 't-x-c-t-r')).toEqual([]);
    });

    it('drops positions with bad coordinates with a log line', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      c.send(retime(withUid(ATAK_SA_NO_FIX, m.device)));
      c.send(sa(m.device, 91, 7));
      c.send(sa(m.device, 46, 181));
      c.send(sa(m.device, 46, 7).replace(/lat="46"/, 'lat="NaN"'));
      await c.sync();
      expect(await rowsOf(m.device)).toHaveLength(1); // the binding SA only
      const refused = logs.filter((l) => l.msg === 'cot: event refused' && l.obj.uid === m.device);
      expect(refused.map((l) => l.obj.reason)).toEqual([
        'point: 0,0 (no fix)',
        'point: lat 91 is out of range',
        'point: lon 181 is out of range',
        'point: lat and lon must be numbers',
      ]);
    });
  });

  describe('in: emergencies and hostiles', () => {
    it("turns ATAK's 911 Alert into a real SOS and escalates the running exercise", async () => {
      const m = await takMember(newTeam());
      const ex = await startExercise(m.teamId);
      const c = await bound(m);
      c.send(
        atakEmergency({
          uid: m.device,
          callsign: m.callsign,
          type: 'b-a-o-tbl',
          label: '911 Alert',
          lat: 46.5,
          lon: 7.9,
        }),
      );
      await c.sync();
      const sos = (await alertsOf(m.teamId)).find((a) => a.type === 'sos');
      expect(sos).toMatchObject({
        mode: 'real',
        state: 'active',
        senderId: m.memberId,
        position: { lat: 46.5, lon: 7.9 },
      });
      expect(sos?.text).toMatch(/911 Alert/);
      const ops = await h.services.operations.list(ADMIN, m.teamId);
      expect(ops.active).toMatchObject({ kind: 'incident', state: 'open', escalatedFrom: ex.id });
      expect(ops.operations.find((o) => o.id === ex.id)?.state).toBe('suspended');
    });

    it('respects opex="e": an exercise SOS during the exercise, nothing escalated', async () => {
      const m = await takMember(newTeam());
      const ex = await startExercise(m.teamId);
      const c = await bound(m);
      const alarm = {
        uid: m.device,
        callsign: m.callsign,
        type: 'b-a-o-tbl',
        label: '911 Alert',
        lat: 46.5,
        lon: 7.9,
        opex: 'e',
      } as const;
      c.send(atakEmergency(alarm));
      c.send(atakEmergency(alarm)); // a repeated alarm is the same SOS
      await c.sync();
      const sos = (await alertsOf(m.teamId)).filter((a) => a.type === 'sos');
      expect(sos).toEqual([expect.objectContaining({ mode: 'exercise', operationId: ex.id })]);
      expect((await h.services.operations.list(ADMIN, m.teamId)).active?.id).toBe(ex.id);
    });

    it('turns In Contact (and "Troops In Contact") into a contact report, once per alarm', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      const alarm = {
        uid: m.device,
        callsign: m.callsign,
        type: 'b-a-o-opn',
        label: 'In Contact',
        lat: 46.51,
        lon: 7.91,
      } as const;
      c.send(atakEmergency(alarm));
      c.send(atakEmergency(alarm));
      await c.sync();
      const contacts = (await alertsOf(m.teamId)).filter((a) => a.type === 'contact');
      expect(contacts).toEqual([
        expect.objectContaining({ mode: 'real', count: 1, position: { lat: 46.51, lon: 7.91 } }),
      ]);
      c.send(atakCancel({ uid: m.device, callsign: m.callsign, lat: 46.51, lon: 7.91 }));
      c.send(atakEmergency({ ...alarm, label: 'Troops In Contact' }));
      await c.sync();
      expect((await alertsOf(m.teamId)).filter((a) => a.type === 'contact')).toHaveLength(2);
    });

    it("cancels the member's SOS on ATAK's Cancel Alert", async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      c.send(
        atakEmergency({
          uid: m.device,
          callsign: m.callsign,
          type: 'b-a-o-pan',
          label: 'Ring The Bell',
          lat: 46.5,
          lon: 7.9,
        }),
      );
      await c.sync();
      expect((await alertsOf(m.teamId)).find((a) => a.type === 'sos')?.state).toBe('active');
      c.send(atakCancel({ uid: m.device, callsign: m.callsign, lat: 46.5, lon: 7.9 }));
      await c.sync();
      expect((await alertsOf(m.teamId)).find((a) => a.type === 'sos')).toMatchObject({
        state: 'cancelled',
        cancelledBy: m.memberId,
      });
    });

    it('turns a hostile marker into a hostile contact, counts from remarks, and follows it as it moves', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      const marker = {
        uid: `marker-${++n}`,
        parentUid: m.device,
        parentCallsign: m.callsign,
        lat: 46.6,
        lon: 7.8,
        remarks: '6 pax in the treeline',
      };
      c.send(atakHostile(marker));
      c.send(atakHostile(marker)); // ATAK's auto-send repeats it
      await c.sync();
      const contacts = await h.services.contacts.list(ADMIN, m.teamId);
      expect(contacts).toEqual([
        expect.objectContaining({ count: 6, reportedBy: m.memberId, position: { lat: 46.6, lon: 7.8 } }),
      ]);
      expect((await alertsOf(m.teamId)).filter((a) => a.type === 'contact')).toHaveLength(1);
      c.send(atakHostile({ ...marker, lat: 46.61, remarks: 'x8' }));
      await c.sync();
      expect(await h.services.contacts.list(ADMIN, m.teamId)).toEqual([
        expect.objectContaining({ count: 8, position: { lat: 46.61, lon: 7.8 } }),
      ]);
    });

    it('takes a marker\'s opex: exercise traffic in the exercise, and opex="o" escalates it', async () => {
      const m = await takMember(newTeam());
      const ex = await startExercise(m.teamId);
      const c = await bound(m);
      const marker = { parentUid: m.device, parentCallsign: m.callsign, lat: 46.6, lon: 7.8 };
      c.send(atakHostile({ ...marker, uid: `marker-${++n}`, opex: 'e' }));
      c.send(atakHostile({ ...marker, uid: `marker-${++n}` })); // no statement: the team's mode
      await c.sync();
      expect((await alertsOf(m.teamId)).map((a) => [a.type, a.mode])).toEqual([
        ['contact', 'exercise'],
        ['contact', 'exercise'],
      ]);
      c.send(atakHostile({ ...marker, uid: `marker-${++n}`, opex: 'o' }));
      await c.sync();
      const ops = await h.services.operations.list(ADMIN, m.teamId);
      expect(ops.active).toMatchObject({ kind: 'incident', escalatedFrom: ex.id });
      expect(
        (await alertsOf(m.teamId)).find(
          (a) => a.type === 'contact' && a.state === 'active' && a.mode === 'real',
        ),
      ).toBeDefined();
    });
  });

  describe('out: the team picture', () => {
    it("sends a bound client the other members' positions as a-f-G-U-C, with callsign and mode", async () => {
      const team = newTeam();
      const alpha = await takMember(team, `ALPHA${++n}`);
      const bravo = await takMember(team, `BRAVO${++n}`);
      const b = await bound(bravo);
      const a = await bound(alpha, 46.57, 7.99);
      const got = await b.waitFor((r) => r.attrs.uid === `howl-${alpha.memberId}`);
      expect(got.attrs).toMatchObject({ type: 'a-f-G-U-C', opex: 'o' });
      expect(got.detail?.contact?.callsign).toBe(alpha.callsign);
      expect(got.detail?.__group).toMatchObject({ name: 'Cyan', role: 'Team Member' });
      expect(got.parsed).toMatchObject({ kind: 'position', point: { lat: 46.57, lon: 7.99 } });
      // On binding, alpha got bravo's latest position; never its own.
      await a.waitFor((r) => r.attrs.uid === `howl-${bravo.memberId}`);
      await a.sync();
      expect(a.received.filter((r) => r.attrs.uid === `howl-${alpha.memberId}`)).toEqual([]);

      await startExercise(alpha.teamId);
      const mark = b.of('a-f-G-U-C').length;
      a.send(sa(alpha.device, 46.58, 7.99));
      const drill = await b.waitFor((r) => r.attrs.type === 'a-f-G-U-C', { skip: mark });
      expect(drill.attrs.opex).toBe('e');
      expect(drill.detail?.remarks).toMatch(/EXERCISE/);
    });

    it('sends Howl alerts as emergencies, again and again until cancelled, then a cancel', async () => {
      const team = newTeam();
      const field = await h.addMember(team, `FIELD${++n}`);
      const tak = await takMember(team);
      const c = await bound(tak);
      const alert = await h.services.alerts.raiseSos(authOf(field), field.teamId, {
        position: { lat: 46.4, lon: 7.7 },
      });
      const first = await c.waitFor((r) => r.attrs.type === 'b-a-o-tbl');
      expect(first.attrs).toMatchObject({ uid: `howl-alert-${alert.id}`, opex: 'o' });
      expect(first.detail?.emergency).toMatchObject({ type: '911 Alert', '#text': field.callsign });
      expect(first.detail?.remarks).toMatch(/REAL — NOT A DRILL — SOS from/);
      await c.waitFor((r) => r.attrs.type === 'b-a-o-tbl', { skip: 2, what: 'the third re-send' });
      await h.services.alerts.cancel(authOf(field), field.teamId, alert.id);
      const cancel = await c.waitFor((r) => r.attrs.type === 'b-a-o-can');
      expect(cancel.attrs.uid).toBe(`howl-alert-${alert.id}`);
      const sent = c.of('b-a-o-tbl').length;
      await new Promise((r) => setTimeout(r, RESEND_MS * 3));
      expect(c.of('b-a-o-tbl').length).toBe(sent);
    });

    it('sends a condition (separated) to the TAK leader and the member it is about, not to the rest; an SOS to all', async () => {
      const team = newTeam();
      const field = await h.addMember(team, `FIELD${++n}`);
      const leader = await h.addMember(team, `LEAD${++n}`, {
        role: 'leader',
        device: `ANDROID-${engine.name}-${++n}`,
      });
      const plain = await takMember(team);
      const subject = await takMember(team);
      const [lc, pc, sc] = [await bound(leader), await bound(plain), await bound(subject)];
      const separated = await h.services.alerts.raise(field.teamId, {
        type: 'separation',
        mode: 'real',
        operationId: null,
        senderId: null,
        subjectId: subject.memberId,
        position: { lat: 46.42, lon: 7.71 },
        text: `${subject.callsign} is 420 m from the nearest member`,
      });
      const uid = `howl-alert-${separated.id}`;
      await lc.waitFor((r) => r.attrs.uid === uid, { what: "the leader's separation emergency" });
      await sc.waitFor((r) => r.attrs.uid === uid, { what: 'the separated member’s own emergency' });
      // The SOS raised next reaches everyone: once the plain member has it, the separation would have come first.
      const sos = await h.services.alerts.raiseSos(authOf(field), field.teamId, {
        position: { lat: 46.4, lon: 7.7 },
      });
      await pc.waitFor((r) => r.attrs.uid === `howl-alert-${sos.id}`, {
        what: 'the SOS on the plain member',
      });
      expect(pc.received.filter((r) => r.attrs.uid === uid)).toEqual([]);
      await new Promise((r) => setTimeout(r, RESEND_MS * 2));
      expect(pc.received.filter((r) => r.attrs.uid === uid)).toEqual([]);
      expect(lc.of('b-a-o-tbl').length).toBeGreaterThan(0);
    });

    it('sends hostile contacts as a-h-G markers and stops re-sending what the member acknowledged', async () => {
      const team = newTeam();
      const field = await h.addMember(team, `FIELD${++n}`);
      const tak = await takMember(team);
      const c = await bound(tak);
      const alert = await h.services.contacts.report(authOf(field), field.teamId, {
        count: 3,
        position: { lat: 46.45, lon: 7.75 },
        text: 'on the ridge',
      });
      const marker = await c.waitFor((r) => r.attrs.type === 'a-h-G');
      expect(marker.detail?.contact?.callsign).toBe('HOSTILE x3');
      expect(marker.attrs.opex).toBe('o');
      await c.waitFor((r) => r.attrs.type === 'b-a-o-opn');
      await h.services.alerts.acknowledge(authOf(tak), alert.id);
      await new Promise((r) => setTimeout(r, RESEND_MS));
      const sent = c.of('b-a-o-opn').length;
      await new Promise((r) => setTimeout(r, RESEND_MS * 3));
      expect(c.of('b-a-o-opn').length).toBe(sent);
    });

    it('sends nothing to a connection that is not bound', async () => {
      const team = newTeam();
      const field = await h.addMember(team, `FIELD${++n}`);
      const c = await client();
      await h.services.alerts.raiseSos(authOf(field), field.teamId, { position: { lat: 46.4, lon: 7.7 } });
      await new Promise((r) => setTimeout(r, RESEND_MS * 2));
      await c.sync();
      expect(c.received.map((r) => r.attrs.type)).toEqual(['t-x-c-t-r']);
    });
  });

  describe('onboarding', () => {
    it('gives a leader the ATAK data package for this server, and no one else', async () => {
      const team = newTeam();
      const leader = await h.addMember(team, `LEAD${++n}`, { role: 'leader' });
      const member = await h.addMember(team, `MEMB${++n}`);
      const get = (token?: string) =>
        h.app.inject({
          method: 'GET',
          url: '/api/tak/package.zip',
          headers: token ? { authorization: `Bearer ${token}` } : {},
        });
      const res = await get(leader.token);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.rawPayload.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
      // Stored entries: the preference is readable in the archive as is.
      expect(res.rawPayload.toString('utf8')).toContain('howl.test:8087:tcp');
      expect((await get(member.token)).statusCode).toBe(403);
      expect((await get()).statusCode).toBe(401);
    });
  });

  describe('bad input', () => {
    it('drops truncated XML and keeps the event after it', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      c.send(sa(m.device, 46.1, 7.1).slice(0, 150));
      c.send(sa(m.device, 46.2, 7.2));
      await c.sync();
      expect((await rowsOf(m.device)).map((r) => r.lat)).toEqual([46.55, 46.2]);
      expect(logs.some((l) => l.obj.reason === 'truncated')).toBe(true);
    });

    it('drops a 10 MB event, stores nothing of it, and keeps the connection', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      const huge = sa(m.device, 46.3, 7.3).replace(
        '<detail>',
        `<detail><remarks>${'x'.repeat(10 * 1024 * 1024)}</remarks>`,
      );
      c.send(huge);
      c.send(sa(m.device, 46.4, 7.4));
      await c.sync();
      expect((await rowsOf(m.device)).map((r) => r.lat)).toEqual([46.55, 46.4]);
      expect(logs.some((l) => l.obj.reason === 'too_large')).toBe(true);
      expect(c.isClosed).toBe(false);
    });

    it('expands no entity: a DOCTYPE is dropped and &xxe; stays text', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      const entity = `<?xml version="1.0"?><!DOCTYPE event [<!ENTITY lat "46.9">]>${sa(m.device).replace(/lat="[^"]*"/, 'lat="&lat;"')}`;
      c.send(entity);
      await c.sync();
      expect((await rowsOf(m.device)).map((r) => r.lat)).toEqual([46.55]);
      expect(logs.some((l) => l.obj.reason === 'junk')).toBe(true);
    });

    it('lets no uid inject into another team', async () => {
      const teamA = newTeam();
      const a1 = await takMember(teamA);
      const watcherA = await bound(await takMember(teamA));
      const b1 = await takMember(newTeam());
      const c = await bound(b1);
      // A connection speaks for its device only: team A's uid on team B's connection is refused.
      c.send(sa(a1.device, 46.2, 7.2));
      c.send(
        atakEmergency({
          uid: a1.device,
          callsign: 'FAKE',
          type: 'b-a-o-tbl',
          label: '911 Alert',
          lat: 46,
          lon: 7,
        }),
      );
      // What team B's member reports stays in team B.
      c.send(
        atakHostile({
          uid: `marker-${++n}`,
          parentUid: b1.device,
          parentCallsign: b1.callsign,
          lat: 46.6,
          lon: 7.8,
        }),
      );
      await c.sync();
      expect(await rowsOf(a1.device)).toEqual([]);
      expect(await alertsOf(a1.teamId)).toEqual([]);
      expect(await h.services.contacts.list(ADMIN, a1.teamId)).toEqual([]);
      expect(await h.services.contacts.list(ADMIN, b1.teamId)).toHaveLength(1);
      expect(logs.some((l) => l.obj.uid === a1.device && /another device/.test(l.msg))).toBe(true);
      await watcherA.sync();
      expect(watcherA.received.filter((r) => r.attrs.type !== 't-x-c-t-r')).toEqual([]);
    });

    it('drops a client that stops reading once its send buffer passes the limit', async () => {
      const small = await startCotServer(h.services, {
        port: 0,
        host: '127.0.0.1',
        logger,
        maxBufferedBytes: 256 * 1024,
      });
      try {
        const team = newTeam();
        const other = await h.addMember(team, `FIELD${++n}`);
        const m = await takMember(team);
        const c = await cot.connect(small.port);
        c.send(sa(m.device));
        await c.sync();
        c.socket.pause();
        const position = (await h.services.positions.latestList(ADMIN, m.teamId))[0];
        if (!position) throw new Error('no position');
        // Far more than the kernel's socket buffers hold: the rest piles up in Howl until it gives up. (Forty
        // thousand members, since a member's positions within one tick go out as their newest only.)
        const full = () => logs.some((l) => l.obj.reason === 'not reading: send buffer full');
        for (let i = 0; i < 40_000 && !full(); i++) {
          h.services.bus.publish(m.teamId, {
            type: 'position',
            position: { ...position, memberId: `${other.memberId}-${i}` },
          });
        }
        await expect.poll(full).toBe(true);
        // The client sees the end once it reads what was sent before it.
        c.socket.resume();
        await c.closed;
      } finally {
        await small.close();
      }
    });

    it('closes the connection of a member who is removed', async () => {
      const m = await takMember(newTeam());
      const c = await bound(m);
      await h.services.members.remove(ADMIN, m.teamId, m.memberId);
      await c.closed;
      expect(c.isClosed).toBe(true);
    });
  });
});
