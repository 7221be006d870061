// The gateways issue's "done when": a TAK client, an OwnTracks client, a Traccar Client and the field
// page, all in one team, see each other and the same alerts, in the right mode. Every client speaks its
// real protocol to a Howl started as `npm start` starts it.
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../src/app/start.ts';
import type { Alert } from '../src/contract/alerts.ts';
import type { Mode } from '../src/contract/common.ts';
import type { LiveEvent, LiveMessage } from '../src/contract/live.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { EXERCISE_PREFIX, REAL_HEADLINE } from '../src/domain/mode.ts';
import { teamKey } from '../src/gateways/owntracks/identity.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { type Received, TakClient } from './fixtures/cot/tak-client.ts';
import { freshLocation } from './fixtures/owntracks/captures.ts';
import { waitFor } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { clearRetained, MQTT_URL } from './support/mqtt.ts';
import { handOverTeam, startServer, type TestServer } from './support/server.ts';
import { type LiveClient, openLive } from './support/ws-client.ts';

/** Where each member stands at first; each client reports its own. */
const AT = {
  KESTREL: { lat: 46.551, lon: 7.981 },
  OSPREY: { lat: 46.552, lon: 7.982 },
  TALON: { lat: 46.553, lon: 7.983 },
  FALCON: { lat: 46.554, lon: 7.984 },
} as const;
type Callsign = keyof typeof AT;

interface MqttReceived {
  topic: string;
  payload: string;
  retain: boolean;
}

describe.skipIf(!MQTT_URL).each(engines)('one team, four kinds of client, on $name', ({ name }) => {
  const base = `howltest-${randomBytes(5).toString('hex')}`;
  let server: TestServer;
  let howl: RunningHowl;
  let api: string;
  let osmand: string;
  const m = {} as Record<Callsign, AddedMember>;
  /** The OwnTracks member's USER/DEVICE: their device id is `USER-DEVICE`. */
  const otUser = `osprey${randomBytes(3).toString('hex')}`;
  let tak: TakClient;
  let ot: MqttClient;
  const otReceived: MqttReceived[] = [];
  let field: LiveClient;

  beforeAll(async () => {
    server = await startServer(name, 'four', {
      HOWL_TEAM: 'Four clients',
      HOWL_MQTT_URL: MQTT_URL ?? '',
      HOWL_MQTT_TOPIC: base,
    });
    howl = server.howl;
    api = howl.localUrl;
    osmand = `http://127.0.0.1:${howl.ports.osmand}`;
    // The four are the whole team: the leader made at first start hands over to the field page's.
    Object.assign(
      m,
      await handOverTeam(howl, Object.keys(AT) as Callsign[], {
        leaders: ['FALCON'],
        devices: {
          KESTREL: `ANDROID-${randomBytes(6).toString('hex')}`, // a TAK uid
          OSPREY: `${otUser}-phone`,
          TALON: `traccar-${randomBytes(4).toString('hex')}`,
          // FALCON: the field page reports with its token
        },
      }),
    );

    field = openLive(`${api.replace('http', 'ws')}/api/live?token=${encodeURIComponent(m.FALCON.token)}`);
    await field.waitFor((x) => x.type === 'snapshot');
    ot = await connectAsync(MQTT_URL ?? '', {
      clientId: `ot-four-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: 0,
    });
    ot.on('message', (topic, payload, packet) =>
      otReceived.push({ topic, payload: payload.toString(), retain: packet.retain }),
    );
    // What the app subscribes to (`owntracks/#` by default), under this run's base topic.
    await ot.subscribeAsync(`${base}/#`, { qos: 1 });
    tak = await TakClient.connect(howl.ports.cot);
  }, 60_000);

  afterAll(async () => {
    tak?.close();
    await field?.close();
    await ot?.endAsync();
    await server?.close();
    if (MQTT_URL) await clearRetained(MQTT_URL, base);
  });

  // --- each client, speaking its own protocol -------------------------------------------------------

  const takReport = async (p: { lat: number; lon: number }) => {
    const sa = withUid(ATAK_SA_GEMINI, m.KESTREL.device)
      .replace(/lat="[^"]*"/, `lat="${p.lat}"`)
      .replace(/lon="[^"]*"/, `lon="${p.lon}"`);
    tak.send(retime(sa, new Date(Date.now() - 2000)));
    await tak.sync();
  };
  /** The team's topic space: what its apps publish under and subscribe to. */
  const space = () => `${base}/${teamKey(m.FALCON.teamId)}`;
  const otReport = (p: { lat: number; lon: number }) =>
    // The apps publish their location retained, at QoS 1.
    ot.publishAsync(`${space()}/${otUser}/phone`, freshLocation({ lat: p.lat, lon: p.lon, tid: 'OS' }, 3), {
      qos: 1,
      retain: true,
    });
  const traccarReport = async (p: { lat: number; lon: number }, extra = '') => {
    const res = await fetch(
      `${osmand}/?id=${m.TALON.device}&lat=${p.lat}&lon=${p.lon}&timestamp=${Date.now() - 2000}&accuracy=8${extra}`,
    );
    expect(res.status, await res.text()).toBe(200);
  };
  const fieldCall = async (method: string, path: string, body?: object) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${m.FALCON.token}`,
        ...(body && { 'content-type': 'application/json' }),
      },
      body: body && JSON.stringify(body),
    });
    const text = await res.text();
    expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return text ? JSON.parse(text) : undefined;
  };
  const fieldReport = (p: { lat: number; lon: number }) =>
    fieldCall('POST', '/api/positions', {
      ...p,
      time: new Date(Date.now() - 2000).toISOString(),
      accuracy: 5,
    });

  // --- what each client received ---------------------------------------------------------------------

  const otJson = (topic: string) =>
    otReceived
      .filter((r) => r.topic === topic && r.payload !== '')
      .map((r) => JSON.parse(r.payload) as Record<string, unknown>);
  const memberTopic = (cs: Callsign) => `${space()}/howl/${cs}`;
  const isPositionOf = (cs: Callsign, pred: (r: Received) => boolean) => (r: Received) =>
    r.attrs.type === 'a-f-G-U-C' && r.attrs.uid === `howl-${m[cs].memberId}` && pred(r);
  /** The TAK client's first position event of `cs` that matches, received already or later. */
  const takSees = (cs: Callsign, pred: (r: Received) => boolean = () => true) =>
    tak.waitFor(isPositionOf(cs, pred), { what: `${cs}'s position` });
  const fieldEvent = <T extends LiveEvent['type']>(
    type: T,
    pred: (e: Extract<LiveEvent, { type: T }>) => boolean,
  ) =>
    field.waitFor(
      (x: LiveMessage) =>
        x.type === 'event' && x.event.type === type && pred(x.event as Extract<LiveEvent, { type: T }>),
    ) as Promise<Extract<LiveMessage, { type: 'event' }>>;
  const alertRaised = (pred: (a: Alert) => boolean) =>
    fieldEvent('alert.updated', (e) => e.change === 'raised' && pred(e.alert));
  /** The OwnTracks app's notification of an alert: a transition on the sender's `…/event`. */
  const otAlert = (cs: Callsign, mode: Mode) =>
    waitFor(() =>
      otJson(`${memberTopic(cs)}/event`).find(
        (j) =>
          j._type === 'transition' &&
          j.event === 'enter' &&
          String(j.desc).startsWith(mode === 'exercise' ? EXERCISE_PREFIX : REAL_HEADLINE),
      ),
    );

  it('sees each other: every position reaches every client that can receive', async () => {
    await takReport(AT.KESTREL);
    await traccarReport(AT.TALON);
    await fieldReport(AT.FALCON);
    await otReport(AT.OSPREY);

    // The field page's live socket: everyone's position, its own included, all real.
    for (const cs of Object.keys(AT) as Callsign[]) {
      const got = await field.waitFor((x) => x.type === 'position' && x.position.memberId === m[cs].memberId);
      expect(got.type === 'position' && got.position, cs).toMatchObject({ ...AT[cs], mode: 'real' });
    }

    // The TAK client: the other three as friendly ground units, with their callsigns, opex "o".
    for (const cs of ['OSPREY', 'TALON', 'FALCON'] as const) {
      const got = await takSees(cs);
      expect(got.detail?.contact?.callsign).toBe(cs);
      expect(got.attrs.opex).toBe('o');
      expect(got.parsed).toMatchObject({ kind: 'position', point: AT[cs] });
    }
    await tak.sync();
    expect(tak.received.filter((r) => r.attrs.uid === `howl-${m.KESTREL.memberId}`)).toEqual([]);

    // The OwnTracks app: the other three as retained friends, each a location and a card with one tid.
    for (const cs of ['KESTREL', 'TALON', 'FALCON'] as const) {
      const location = await waitFor(() => otJson(memberTopic(cs)).find((j) => j._type === 'location'));
      const card = await waitFor(() => otJson(`${memberTopic(cs)}/info`).find((j) => j._type === 'card'));
      expect(location).toMatchObject({ ...AT[cs], tid: cs.slice(0, 2) });
      expect(card).toMatchObject({ _type: 'card', name: cs, tid: cs.slice(0, 2) });
    }
    // Its own member is on the broker under its own topic already: Howl adds no second marker of them.
    expect(otJson(memberTopic('OSPREY'))).toEqual([]);
    // What Howl published is retained: an app that connects later gets its friends at once.
    const late = await connectAsync(MQTT_URL ?? '', {
      clientId: `ot-late-${randomBytes(4).toString('hex')}`,
    });
    const retained: string[] = [];
    late.on('message', (topic, payload, packet) => {
      if (packet.retain && payload.length > 0) retained.push(topic);
    });
    await late.subscribeAsync(`${space()}/howl/+`, { qos: 1 });
    await waitFor(() => retained.length >= 3);
    await late.endAsync();
    expect(retained.sort()).toEqual((['FALCON', 'KESTREL', 'TALON'] as const).map(memberTopic));
  });

  it('gets the same alerts in the right mode: an exercise contact, then an SOS that makes it real', async () => {
    const ex = await fieldCall('POST', '/api/operations', { name: 'Ridge line drill' });
    await fieldCall('POST', `/api/operations/${ex.id}/actions`, { action: 'start' });
    await fieldEvent('operation.updated', (e) => e.change === 'started');

    // Positions in the exercise carry its mode to every client.
    const drillFix = takSees('TALON', (r) => r.parsed.kind === 'position' && r.parsed.point.lat === 46.5531);
    await traccarReport({ lat: 46.5531, lon: 7.9831 });
    const drill = await drillFix;
    expect(drill.attrs.opex).toBe('e');
    expect(drill.detail?.remarks).toMatch(/EXERCISE/);
    await field.waitFor(
      (x) =>
        x.type === 'position' && x.position.memberId === m.TALON.memberId && x.position.mode === 'exercise',
    );
    await waitFor(() => otJson(memberTopic('TALON')).find((j) => j.lat === 46.5531));

    // A contact report from the field page: exercise traffic everywhere.
    const contact = await fieldCall('POST', '/api/alerts/contact', {
      count: 3,
      position: { lat: 46.56, lon: 7.99 },
      text: 'three on the ridge',
    });
    expect(contact).toMatchObject({ type: 'contact', mode: 'exercise' });
    const onField = await alertRaised((a) => a.id === contact.id);
    expect(onField.event).toMatchObject({ mode: 'exercise', alert: { mode: 'exercise', sender: 'FALCON' } });
    const onTak = await tak.waitFor((r) => r.attrs.uid === `howl-alert-${contact.id}`, {
      what: 'the contact',
    });
    expect(onTak.attrs).toMatchObject({ type: 'b-a-o-opn', opex: 'e' });
    expect(onTak.detail?.remarks).toMatch(/^EXERCISE/);
    expect(onTak.detail?.remarks).not.toMatch(/REAL/);
    const onOt = await otAlert('FALCON', 'exercise');
    expect(String(onOt.desc)).toMatch(/three on the ridge/);
    expect(String(onOt.desc)).not.toMatch(/REAL/);

    // The Traccar Client's SOS button: real, whatever runs, and the exercise is suspended.
    await traccarReport(AT.TALON, '&alarm=sos');
    const sos = await alertRaised((a) => a.type === 'sos' && a.sender === 'TALON');
    expect(sos.event).toMatchObject({ mode: 'real', alert: { mode: 'real', state: 'active' } });
    await fieldEvent('operation.updated', (e) => e.change === 'suspended' && e.operation.id === ex.id);
    const sosId = sos.event.type === 'alert.updated' ? sos.event.alert.id : '';
    const tbl = await tak.waitFor((r) => r.attrs.uid === `howl-alert-${sosId}`, { what: 'the SOS' });
    expect(tbl.attrs).toMatchObject({ type: 'b-a-o-tbl', opex: 'o' });
    expect(tbl.detail?.emergency).toMatchObject({ type: '911 Alert', '#text': 'TALON' });
    expect(tbl.detail?.remarks).toMatch(/^REAL — NOT A DRILL/);
    expect(tbl.detail?.remarks).not.toMatch(/EXERCISE/);
    const realOt = await otAlert('TALON', 'real');
    expect(String(realOt.desc)).toMatch(/SOS/);
    expect(String(realOt.desc)).not.toMatch(/EXERCISE/);

    // And after escalation, positions are real again for everyone.
    const realFix = takSees('FALCON', (r) => r.parsed.kind === 'position' && r.parsed.point.lat === 46.5541);
    await fieldReport({ lat: 46.5541, lon: 7.9841 });
    expect((await realFix).attrs.opex).toBe('o');
    await otReport({ lat: 46.5521, lon: 7.9821 });
    await field.waitFor(
      (x) =>
        x.type === 'position' &&
        x.position.memberId === m.OSPREY.memberId &&
        x.position.mode === 'real' &&
        x.position.lat === 46.5521,
    );
  });
});
