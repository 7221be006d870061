import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { appTopics, teamKey } from '../src/gateways/owntracks/identity.ts';
import { type OwnTracksMqtt, startOwnTracksMqtt } from '../src/gateways/owntracks/mqtt.ts';
import { ANDROID_TRANSITION, freshLocation } from './fixtures/owntracks/captures.ts';
import { bearer, captureLogger, reportFromField, waitFor } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { clearRetained, MQTT_URL } from './support/mqtt.ts';
import { useHarness } from './support/setup.ts';

/**
 * Two teams on one broker, each in its own topic space (`ROOT/<team key>`): an app subscribed to its team's
 * base topic, as OwnTracks apps are, gets its team and nothing of the other, equal callsigns included.
 */

interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** How long an app listens for stray messages once it has what it expects. */
const STRAY_WAIT_MS = 1000;

describe.skipIf(!MQTT_URL).each(engines)('OwnTracks teams over MQTT on $name', (engine) => {
  const url = MQTT_URL ?? '';
  const root = `howlteams-${randomBytes(5).toString('hex')}`;
  const log = captureLogger();
  const { h, d } = useHarness(engine);
  let gw: OwnTracksMqtt;
  let n = 0;
  const clients: MqttClient[] = [];
  /** Everything on the broker under this run's root, from before Howl connects. */
  let broker: Awaited<ReturnType<typeof app>>;

  /** An MQTT client as a phone's OwnTracks app: it publishes, and keeps what it receives. */
  const app = async (subscriptions: string[] = []) => {
    const client = await connectAsync(url, {
      clientId: `ot-teams-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: 0,
    });
    clients.push(client);
    const received: Received[] = [];
    client.on('message', (topic, payload, packet) =>
      received.push({ topic, payload: payload.toString(), retain: packet.retain }),
    );
    if (subscriptions.length > 0) await client.subscribeAsync(subscriptions, { qos: 1 });
    const json = (topic: string) =>
      received.filter((r) => r.topic === topic && r.payload !== '').map((r) => JSON.parse(r.payload));
    const publish = (topic: string, payload: string, retain = false) =>
      client.publishAsync(topic, payload, { qos: 1, retain });
    return { client, received, json, publish };
  };

  beforeAll(async () => {
    broker = await app([`${root}/#`]);
    // What an earlier Howl left: its members under the shared ROOT/howl/…, which every team's apps read.
    await broker.publish(`${root}/howl/OLD`, freshLocation({ tid: 'OL' }), true);
    await broker.publish(`${root}/howl/OLD/info`, '{"_type":"card","tid":"OL","name":"OLD"}', true);
    gw = await startOwnTracksMqtt(h.services, { url, baseTopic: root, logger: log, reconnectPeriodMs: 100 });
  });
  afterAll(async () => {
    await gw?.close();
    // Leave the shared broker as found: clear every retained message under this run's root.
    if (url) await clearRetained(url, root);
    for (const c of clients) await c.endAsync(true);
  });

  /** Two teams with the same callsigns: each a leader on the field page and an OwnTracks app, `<user>/phone`. */
  const twoTeams = async () => {
    const i = ++n;
    const team = async (name: string, user: string) => {
      const lead = await h.addMember(name, 'LEAD', { role: 'leader' });
      const echo = await h.addMember(name, 'ECHO', { device: `${user}-phone` });
      const space = `${root}/${teamKey(lead.teamId)}`;
      return { lead, echo, user, space, appTopic: `${space}/${user}/phone` };
    };
    return { a: await team(`Alpha ${i}`, `alpha${i}`), b: await team(`Bravo ${i}`, `bravo${i}`) };
  };
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('id').execute();
  const storedFrom = (device: string, count = 1) =>
    waitFor(async () => ((await rowsOf(device)).length >= count ? rowsOf(device) : undefined));
  const raise = async (m: AddedMember, kind: 'sos' | 'contact', payload: object) => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/alerts/${kind}`,
      headers: bearer(m),
      payload,
    });
    expect(res.statusCode, res.body).toBe(201);
  };
  const settle = () => new Promise((r) => setTimeout(r, STRAY_WAIT_MS));

  it('gives each team its own topic space: B’s app sees B’s teammates and alerts, nothing of A', async () => {
    const { a, b } = await twoTeams();
    expect(a.space).not.toBe(b.space);
    expect(gw.appTopics(b.lead.teamId)).toEqual({
      base: b.space,
      publish: `${b.space}/%u/%d`,
      subscribe: `${b.space}/#`,
    });
    // The same callsign in both teams, at different places.
    await reportFromField(h, a.lead, 46.1, 7.1);
    await reportFromField(h, b.lead, 47.2, 8.2);
    const aPhone = await app();
    const bPhone = await app();
    await aPhone.publish(a.appTopic, freshLocation({ lat: 46.15, lon: 7.15, tid: 'EC' }), true);
    await bPhone.publish(b.appTopic, freshLocation({ lat: 47.25, lon: 8.25, tid: 'EC' }), true);
    await storedFrom(a.echo.device);
    await storedFrom(b.echo.device);

    // Each team's app, subscribed to its base topic as the apps are.
    const aApp = await app([`${a.space}/#`]);
    const bApp = await app([`${b.space}/#`]);
    const bLead = `${b.space}/howl/LEAD`;
    const bLocation = await waitFor(() => bApp.json(bLead)[0]);
    expect(bLocation).toMatchObject({ _type: 'location', lat: 47.2, lon: 8.2 });
    expect(await waitFor(() => bApp.json(`${bLead}/info`)[0])).toMatchObject({ _type: 'card', name: 'LEAD' });
    expect(await waitFor(() => bApp.json(b.appTopic)[0])).toMatchObject({ lat: 47.25 });
    expect(await waitFor(() => aApp.json(`${a.space}/howl/LEAD`)[0])).toMatchObject({ lat: 46.1, lon: 7.1 });

    // A REAL alert in each team: A's words never reach B's app.
    const secret = `alpha-secret-${randomBytes(3).toString('hex')}`;
    await raise(a.lead, 'contact', { count: 2, text: secret });
    await raise(b.lead, 'sos', {});
    const aAlert = await waitFor(() =>
      aApp.json(`${a.space}/howl/LEAD/event`).find((m) => String(m.desc).includes(secret)),
    );
    expect(aAlert.desc).toMatch(/^REAL — NOT A DRILL/);
    const bAlert = await waitFor(() =>
      bApp
        .json(`${bLead}/event`)
        .find((m) => m.event === 'enter' && String(m.desc).endsWith('SOS from LEAD')),
    );
    expect(bAlert.desc).toMatch(/^REAL — NOT A DRILL — /);
    await settle();

    expect(bApp.received.length).toBeGreaterThan(0);
    for (const r of bApp.received) {
      expect(r.topic.startsWith(`${b.space}/`), r.topic).toBe(true);
      expect(r.payload, r.topic).not.toContain(secret);
      expect(r.payload, r.topic).not.toMatch(/"lat":46\.1/);
    }
    // The equal callsign did not overwrite the other team's: B's LEAD is still B's.
    expect(bApp.json(bLead).every((m) => m.lat === 47.2)).toBe(true);
    expect(aApp.received.every((r) => r.topic.startsWith(`${a.space}/`))).toBe(true);
    // Nothing Howl published (`…/howl/…`) lies outside the team's own space.
    for (const r of broker.received.filter((x) => x.payload.includes(secret)))
      expect(r.topic.startsWith(`${a.space}/howl/`), r.topic).toBe(true);
    expect(
      broker.received.filter((r) => r.topic.includes('/howl/LEAD') && !r.topic.startsWith(`${root}/howl/`)),
    ).not.toEqual([]);
    expect(broker.received.filter((r) => r.topic.startsWith(`${root}/howl/LEAD`))).toEqual([]);
  });

  it('stores nothing of a device that publishes in another team’s space', async () => {
    const { a, b } = await twoTeams();
    const bPhone = await app();
    // B's device, in A's space: neither team stores it.
    await bPhone.publish(`${a.space}/${b.user}/phone`, freshLocation({ lat: 41.41, lon: 4.41 }));
    await bPhone.publish(`${a.space}/${b.user}/phone/event`, ANDROID_TRANSITION);
    // Then in its own space: stored, so the one before it was handled (messages are handled in order).
    await bPhone.publish(b.appTopic, freshLocation({ lat: 42.42, lon: 4.42 }));
    const rows = await storedFrom(b.echo.device);
    expect(rows.map((r) => r.lat)).toEqual([42.42]);
    expect(await d.db.selectFrom('positions').select('id').where('lat', '=', 41.41).execute()).toEqual([]);
    for (const teamId of [a.lead.teamId, b.lead.teamId])
      expect(
        await d.db
          .selectFrom('events')
          .select('type')
          .where('team_id', '=', teamId)
          .where('type', '=', 'device.notice')
          .execute(),
      ).toEqual([]);
    const dropped = log.lines.find((l) => l.obj.deviceId === b.echo.device && l.msg.includes('another team'));
    expect(dropped?.obj).toMatchObject({ teamId: b.lead.teamId, expected: b.space });
  });

  it('takes a registered device on the earlier shared layout, and publishes only in its team’s space', async () => {
    const { a, b } = await twoTeams();
    await reportFromField(h, a.lead, 45.3, 6.3);
    const legacy = await app();
    await legacy.publish(`${root}/${a.user}/phone`, freshLocation({ lat: 45.35, lon: 6.35 }));
    await storedFrom(a.echo.device);
    const hint = log.lines.find((l) => l.obj.deviceId === a.echo.device && l.msg.includes('outside'));
    const { publish, subscribe } = appTopics(root, a.lead.teamId);
    expect(hint?.obj).toMatchObject({ publish, subscribe });
    expect(publish).toBe(`${a.space}/%u/%d`);

    // Its app is not in the team's space: Howl publishes the member there for the teammates' apps.
    const aApp = await app([`${a.space}/#`]);
    expect(await waitFor(() => aApp.json(`${a.space}/howl/ECHO`)[0])).toMatchObject({ lat: 45.35 });
    expect(await waitFor(() => aApp.json(`${a.space}/howl/LEAD`)[0])).toMatchObject({ lat: 45.3 });
    const bApp = await app([`${b.space}/#`]);
    await settle();
    expect(bApp.received).toEqual([]);
    // Nothing of Howl's under the shared ROOT/howl/… but what this test's earlier Howl left there.
    expect(
      broker.received.filter(
        (r) => r.topic.startsWith(`${root}/howl/`) && !r.topic.startsWith(`${root}/howl/OLD`),
      ),
    ).toEqual([]);
  });

  it('sends the exercise area only to the team’s apps in its space', async () => {
    const { a, b } = await twoTeams();
    const aPhone = await app([`${a.appTopic}/cmd`]);
    const legacy = await app([`${root}/${a.user}/phone/cmd`]);
    const bApp = await app([`${b.space}/#`]);
    await aPhone.publish(a.appTopic, freshLocation());
    await storedFrom(a.echo.device);
    const planned = await h.app.inject({
      method: 'POST',
      url: '/api/operations',
      headers: bearer(a.lead),
      payload: {
        name: 'Alpha area drill',
        area: [
          { lat: 46.495, lon: 7.495 },
          { lat: 46.505, lon: 7.495 },
          { lat: 46.505, lon: 7.505 },
          { lat: 46.495, lon: 7.505 },
        ],
      },
    });
    expect(planned.statusCode, planned.body).toBe(201);
    const started = await h.app.inject({
      method: 'POST',
      url: `/api/operations/${(planned.json() as { id: string }).id}/actions`,
      headers: bearer(a.lead),
      payload: { action: 'start' },
    });
    expect(started.statusCode, started.body).toBe(200);
    const cmd = await waitFor(() => aPhone.json(`${a.appTopic}/cmd`)[0]);
    expect(cmd).toMatchObject({ _type: 'cmd', action: 'setWaypoints' });
    await legacy.publish(`${root}/${a.user}/phone`, freshLocation({}, 5));
    await storedFrom(a.echo.device, 2);
    await settle();
    expect(legacy.received).toEqual([]);
    expect(bApp.received.filter((r) => r.payload.includes('Alpha area drill'))).toEqual([]);
  });

  it('deletes the retained copies an earlier Howl left under the shared ROOT/howl/…', async () => {
    await waitFor(() => log.lines.filter((l) => l.msg.includes('earlier Howl left')).length >= 2);
    const late = await app([`${root}/howl/#`]);
    await settle();
    expect(late.received.filter((r) => r.payload !== '')).toEqual([]);
  });
});
