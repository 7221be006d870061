import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamKey } from '../src/gateways/owntracks/identity.ts';
import { type OwnTracksMqtt, startOwnTracksMqtt } from '../src/gateways/owntracks/mqtt.ts';
import { ANDROID_TRANSITION, freshLocation, RECORDER_IPHONE_LWT } from './fixtures/owntracks/captures.ts';
import {
  bearer,
  captureLogger,
  reportFromField,
  startExercise,
  waitFor,
} from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { clearRetained, MQTT_URL } from './support/mqtt.ts';
import { useHarness } from './support/setup.ts';

interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** An MQTT client as a phone's OwnTracks app: it publishes, and keeps what it receives. */
async function phone(url: string, subscriptions: string[] = []) {
  const client = await connectAsync(url, {
    clientId: `ot-test-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 0,
  });
  const received: Received[] = [];
  client.on('message', (topic, payload, packet) =>
    received.push({ topic, payload: payload.toString(), retain: packet.retain }),
  );
  if (subscriptions.length > 0) await client.subscribeAsync(subscriptions, { qos: 1 });
  const json = (topic: string) =>
    received.filter((r) => r.topic === topic && r.payload !== '').map((r) => JSON.parse(r.payload));
  const publish = (topic: string, payload: string | Buffer, retain = false) =>
    client.publishAsync(topic, payload, { qos: 1, retain });
  return { client, received, json, publish };
}

describe.skipIf(!MQTT_URL).each(engines)('OwnTracks over MQTT on $name', (engine) => {
  const url = MQTT_URL ?? '';
  const base = `howltest-${randomBytes(5).toString('hex')}`;
  const log = captureLogger();
  const { h, d } = useHarness(engine);
  let gw: OwnTracksMqtt;
  let n = 0;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    gw = await startOwnTracksMqtt(h.services, { url, baseTopic: base, logger: log, reconnectPeriodMs: 100 });
  });
  afterAll(async () => {
    await gw?.close();
    // Leave the shared broker as found: clear every retained message under this run's base topic.
    if (url) await clearRetained(url, base);
    for (const c of clients) await c.endAsync(true);
  });

  const app = async (subscriptions: string[] = []) => {
    const p = await phone(url, subscriptions);
    clients.push(p.client);
    return p;
  };
  /** A team of its own per test (`space`: its topic space), so modes and teammates do not leak between tests. */
  const team = async () => {
    const name = `OwnTracks ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const add = (callsign: string, device: string) => h.addMember(name, callsign, { device });
    return { lead, add, space: `${base}/${teamKey(lead.teamId)}` };
  };
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('id').execute();
  const storedFrom = (device: string, count = 1) =>
    waitFor(async () => ((await rowsOf(device)).length >= count ? rowsOf(device) : undefined));

  it('stores a location of a registered USER-DEVICE, in the team’s mode', async () => {
    const { lead, add, space } = await team();
    await add(`JANE${n}`, `jane${n}-phone`);
    const jane = await app();
    await jane.publish(`${space}/jane${n}/phone`, freshLocation({ vel: 18, cog: 90, batt: 55, acc: 7 }, 60));
    const [first] = await storedFrom(`jane${n}-phone`);
    expect(first).toMatchObject({ source: 'owntracks', mode: 'real', bearing: 90, battery: 55, accuracy: 7 });
    expect(first?.speed).toBeCloseTo(5, 9);

    await startExercise(h, lead);
    await jane.publish(`${space}/jane${n}/phone`, freshLocation({ lat: 51.001 }, 10));
    const rows = await storedFrom(`jane${n}-phone`, 2);
    expect(rows[1]).toMatchObject({ lat: 51.001, mode: 'exercise', source: 'owntracks' });
  });

  it('drops an unknown USER/DEVICE with a log line and stores nothing of it', async () => {
    const { add, space } = await team();
    await add(`KNOWN${n}`, `known${n}-phone`);
    const p = await app();
    await p.publish(`${space}/ghost${n}/phone`, freshLocation());
    await p.publish(`${space}/bad user${n}/phone`, freshLocation());
    await p.publish(`${space}/known${n}/phone`, freshLocation());
    await storedFrom(`known${n}-phone`);
    expect(await rowsOf(`ghost${n}-phone`)).toEqual([]);
    expect(log.find(new RegExp(`unknown device ghost${n}-phone, dropped`))).toBeDefined();
    expect(log.find(/cannot be a Howl device id/)?.obj).toMatchObject({
      topic: `${space}/bad user${n}/phone`,
    });
  });

  it('drops malformed and oversized payloads, stores nothing of them, and stays connected', async () => {
    const { add, space } = await team();
    await add(`MAL${n}`, `mal${n}-phone`);
    const topic = `${space}/mal${n}/phone`;
    const p = await app();
    await p.publish(topic, 'this is {not json');
    await p.publish(topic, Buffer.from(freshLocation({ pad: 'x'.repeat(70 * 1024) })));
    await p.publish(topic, freshLocation({ lat: 91 }));
    await p.publish(topic, '{"_type":"waypoints","waypoints":[]}');
    await p.publish(topic, freshLocation({ lat: 50.5 }));
    const rows = await storedFrom(`mal${n}-phone`);
    await new Promise((r) => setTimeout(r, 100));
    expect(await rowsOf(`mal${n}-phone`)).toHaveLength(1);
    expect(rows[0]).toMatchObject({ lat: 50.5 });
    expect(gw.client.connected).toBe(true);
    const rejected = log.lines.filter((l) => l.msg.includes('payload rejected') && l.obj.topic === topic);
    expect(rejected.map((l) => l.obj.field)).toEqual(['payload', 'payload', 'lat']);
    expect(String(rejected[1]?.obj.reason)).toMatch(/at most 65536/);
  });

  it('logs an app’s transition and lost connection; the transition’s position is stored', async () => {
    const { add, space } = await team();
    await add(`TRA${n}`, `tra${n}-phone`);
    const p = await app();
    await p.publish(`${space}/tra${n}/phone/event`, ANDROID_TRANSITION);
    await p.publish(`${space}/tra${n}/phone`, RECORDER_IPHONE_LWT);
    await p.publish(`${space}/tra${n}/phone`, freshLocation());
    await storedFrom(`tra${n}-phone`, 2);
    expect((await rowsOf(`tra${n}-phone`)).map((r) => r.lat)).toEqual([52.71234, 51]);
    const transition = log.lines.find((l) => l.obj.deviceId === `tra${n}-phone` && l.msg.includes('region'));
    expect(transition?.obj).toMatchObject({
      event: 'leave',
      region: 'myregion',
      via: 'mqtt',
      operationArea: false,
    });
    expect(log.lines.find((l) => l.obj.deviceId === `tra${n}-phone` && l.msg.includes('(lwt)'))?.level).toBe(
      'warn',
    );
  });

  it('publishes the other members to a teammate’s app: retained location with tid, and a card', async () => {
    const { lead, add, space } = await team();
    await add(`BOB${n}`, `bob${n}-phone`);
    await reportFromField(h, lead, 46.5, 7.5);
    const leadTopic = `${space}/howl/LEAD${n}`;
    const watcher = await app([`${leadTopic}/#`, leadTopic]);
    const bob = await app();
    await bob.publish(`${space}/bob${n}/phone`, freshLocation({ lat: 46.6, lon: 7.6 }), true);
    await storedFrom(`bob${n}-phone`);
    // Howl published the team once Bob's app spoke; the broker has it once a subscriber got it.
    await waitFor(() => watcher.json(leadTopic)[0] && watcher.json(`${leadTopic}/info`)[0]);

    // Bob's app, connecting afterwards, gets the retained copies the way the app subscribes.
    const bobApp = await app([`${space}/+/+`, `${space}/+/+/info`]);
    const location = await waitFor(() => bobApp.json(leadTopic)[0]);
    expect(location).toMatchObject({
      _type: 'location',
      tid: 'LE',
      lat: 46.5,
      lon: 7.5,
      acc: 6,
      batt: 80,
      vel: 5,
    });
    const card = await waitFor(() => bobApp.json(`${leadTopic}/info`)[0]);
    expect(card).toEqual({ _type: 'card', tid: 'LE', name: `LEAD${n}` });
    expect(bobApp.received.find((r) => r.topic === leadTopic)?.retain).toBe(true);
    // Bob is on the broker under his own topic already: Howl does not publish a second marker of him.
    expect(bobApp.received.some((r) => r.topic === `${space}/howl/BOB${n}`)).toBe(false);

    // A live position of the leader follows at once.
    await reportFromField(h, lead, 46.51, 7.51);
    await waitFor(() => bobApp.json(leadTopic).find((m) => m.lat === 46.51));
  });

  it('sends alerts as transitions the app shows, worded for their mode', async () => {
    const { lead, add, space } = await team();
    await add(`CAT${n}`, `cat${n}-phone`);
    await reportFromField(h, lead, 45.1, 6.1);
    const cat = await app([`${space}/+/+/event`]);
    await cat.publish(`${space}/cat${n}/phone`, freshLocation());
    await storedFrom(`cat${n}-phone`);
    const events = `${space}/howl/LEAD${n}/event`;

    await startExercise(h, lead);
    const contact = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/contact',
      headers: bearer(lead),
      payload: { count: 3, text: 'treeline' },
    });
    expect(contact.statusCode, contact.body).toBe(201);
    const drill = await waitFor(() => cat.json(events)[0]);
    expect(drill).toMatchObject({
      _type: 'transition',
      event: 'enter',
      tid: 'LE',
      t: 'c',
      lat: 45.1,
      lon: 6.1,
    });
    expect(drill.desc).toBe(
      `EXERCISE EXERCISE EXERCISE — CONTACT: 3 hostiles reported by LEAD${n} — treeline`,
    );
    expect(cat.received.find((r) => r.topic === events)?.retain).toBe(false);

    const sos = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/sos',
      headers: bearer(lead),
      payload: {},
    });
    expect(sos.statusCode, sos.body).toBe(201);
    const realText = `REAL — NOT A DRILL — SOS from LEAD${n}`;
    const real = await waitFor(() => cat.json(events).find((m) => m.desc === realText));
    expect(real).toMatchObject({ event: 'enter', tid: 'LE' });
    expect(real.desc).not.toMatch(/EXERCISE/);

    const id = (sos.json() as { id: string }).id;
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/alerts/${id}/cancel`,
      headers: bearer(lead),
      payload: { reason: 'pressed by mistake' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    const left = await waitFor(() =>
      cat.json(events).find((m) => m.event === 'leave' && m.desc.includes('CANCELLED: SOS')),
    );
    expect(left).toMatchObject({ wtst: real.wtst });
    expect(left.desc).toBe(`REAL — NOT A DRILL — CANCELLED: SOS from LEAD${n} — pressed by mistake`);
  });

  it('reconnects by itself when its connection drops, and messages flow again', async () => {
    const { lead, add, space } = await team();
    await add(`DAN${n}`, `dan${n}-phone`);
    await reportFromField(h, lead, 44.5, 5.5);
    const leadTopic = `${space}/howl/LEAD${n}`;
    const before = await app([leadTopic]);
    const dan = await app();
    await dan.publish(`${space}/dan${n}/phone`, freshLocation({}, 90), true);
    await storedFrom(`dan${n}-phone`);
    await waitFor(() => before.json(leadTopic)[0]);
    // Someone wipes Howl's retained copy; after the reconnect Howl publishes the team again.
    await dan.publish(leadTopic, '', true);

    const closed = new Promise<void>((r) => gw.client.once('close', () => r()));
    gw.client.stream.destroy();
    await closed;
    await gw.ready();
    expect(log.find(/reconnected to the broker/)).toBeDefined();

    await dan.publish(`${space}/dan${n}/phone`, freshLocation({ lat: 52.2 }, 5));
    const rows = await storedFrom(`dan${n}-phone`, 2);
    // The broker sent Dan's retained location again on resubscribing: it was not stored twice.
    expect(rows.map((r) => r.lat)).toEqual([51, 52.2]);
    const watcher = await app([`${space}/howl/+`]);
    const again = await waitFor(() => watcher.json(leadTopic)[0]);
    expect(again).toMatchObject({ lat: 44.5, lon: 5.5 });
  });
});
