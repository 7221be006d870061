import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeshPendingList } from '../src/contract/meshtastic.ts';
import type { TakEnrolment } from '../src/contract/tak.ts';
import { type MeshtasticMqtt, startMeshtasticMqtt } from '../src/gateways/meshtastic/mqtt.ts';
import { nodeIdOf } from '../src/gateways/meshtastic/parse.ts';
import {
  DOCS_DOWNLINK,
  DOCS_DOWNLINK_TOPIC,
  FIRMWARE_ENCRYPTED,
  FIRMWARE_NODE,
  FIRMWARE_NODEINFO,
  FIRMWARE_POSITION,
  FIRMWARE_TELEMETRY_DEVICE,
  FIRMWARE_TEXT,
  FIRMWARE_WAYPOINT,
  fromNode,
  TEST_GATEWAY,
  TEST_GATEWAY_NUM,
} from './fixtures/meshtastic/captures.ts';
import { bearer, captureLogger, startExercise, waitFor } from './fixtures/owntracks/support.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { MQTT_URL } from './support/mqtt.ts';
import { useHarness } from './support/setup.ts';

describe.skipIf(!MQTT_URL).each(engines)('Meshtastic over MQTT on $name', (engine) => {
  const url = MQTT_URL ?? '';
  const root = `howlmesh-${randomBytes(4).toString('hex')}`;
  const region = 'EU_868';
  const uplink = (gateway = TEST_GATEWAY) => `${root}/${region}/2/json/SAR/${gateway}`;
  const log = captureLogger();
  // The rate limit is counted against this clock: no test waits for it.
  const clock = new FakeClock(Date.now());
  const { h, d } = useHarness(engine);
  let gw: MeshtasticMqtt;
  let radio: MqttClient;
  const downlinks: Array<{ topic: string; body: { from: number; type: string; payload: string } }> = [];
  let n = 0;
  let nextNode = 0x2a000000 + (engine.name === 'pglite' ? 0 : 0x100000);

  beforeAll(async () => {
    gw = await startMeshtasticMqtt(h.services, { url, root, logger: log, pumpEveryMs: 0, now: clock.now });
    await gw.ready();
    // The gateway node: publishes uplinks, and takes downlinks as the firmware subscribes to them.
    radio = await connectAsync(url, {
      clientId: `mesh-gw-${randomBytes(4).toString('hex')}`,
      reconnectPeriod: 0,
    });
    radio.on('message', (topic, payload) => downlinks.push({ topic, body: JSON.parse(payload.toString()) }));
    await radio.subscribeAsync(`${root}/+/2/json/mqtt/+`, { qos: 1 });
  });
  afterAll(async () => {
    await gw?.close();
    await radio?.endAsync(true);
  });

  const send = async (json: string, topic = uplink()) => {
    await radio.publishAsync(topic, json, { qos: 1 });
  };
  /** Waits until the gateway has handled what was published so far (a marker packet round trip). */
  const settle = async () => {
    const marker = `settle-${++n}`;
    const before = log.lines.length;
    await send(`{"from":1,"type":"${marker}"}`);
    await waitFor(() => log.lines.slice(before).some((l) => l.obj.type === marker));
    await gw.idle();
  };
  const team = async () => {
    const name = `Mesh ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const node = nextNode++;
    const member = await h.addMember(name, `RAD${n}`, { device: nodeIdOf(node) });
    return { lead, member, node, nodeId: nodeIdOf(node) };
  };
  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('id').execute();
  const messagesOf = (teamId: string) =>
    d.db.selectFrom('messages').selectAll().where('team_id', '=', teamId).orderBy('time').execute();

  it('stores the firmware’s position packet once, however many gateways relay it', async () => {
    const name = `Mesh ${++n}`;
    await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    await h.addMember(name, `FW${n}`, { device: FIRMWARE_NODE });
    await send(FIRMWARE_POSITION);
    await send(FIRMWARE_POSITION, uplink('!0a0b0c0e'));
    await settle();
    const rows = await waitFor(async () =>
      (await rowsOf(FIRMWARE_NODE)).length ? rowsOf(FIRMWARE_NODE) : undefined,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      lat: 37.4208,
      lon: -122.1981,
      altitude: 123,
      source: 'meshtastic',
      mode: 'real',
    });
    expect(new Date(rows[0]?.time ?? 0).toISOString()).toBe('2021-01-01T00:00:00.000Z');
  });

  it('stores a position without time at the time of receipt, with the battery its telemetry gave', async () => {
    const t = await team();
    await send(fromNode(FIRMWARE_NODEINFO, t.node));
    await send(fromNode(FIRMWARE_TELEMETRY_DEVICE, t.node));
    // The time of receipt is the gateway's clock (standing still here).
    clock.ms = Date.now();
    await send(
      fromNode(
        '{"from":0,"type":"position","payload":{"latitude_i":465500000,"longitude_i":79800000}}',
        t.node,
      ),
    );
    await settle();
    const [row] = await waitFor(async () => ((await rowsOf(t.nodeId)).length ? rowsOf(t.nodeId) : undefined));
    expect(row).toMatchObject({ lat: 46.55, lon: 7.98, battery: 85 });
    expect(new Date(row?.time ?? 0).getTime()).toBe(clock.ms);
    const device = await d.db.selectFrom('devices').selectAll().where('id', '=', t.nodeId).executeTakeFirst();
    expect(device).toMatchObject({ name: 'Test User', battery: 85 });
  });

  it('turns a registered node’s text into a team message in the team’s mode', async () => {
    const t = await team();
    await send(fromNode(FIRMWARE_TEXT, t.node));
    await settle();
    await startExercise(h, t.lead);
    await send(fromNode('{"from":0,"type":"text","payload":{"text":"found the dog"}}', t.node));
    await settle();
    const rows = await waitFor(async () =>
      (await messagesOf(t.lead.teamId)).length >= 2 ? messagesOf(t.lead.teamId) : undefined,
    );
    expect(rows.map((r) => [r.text, r.mode, r.source, r.sender_callsign])).toEqual([
      ['Hello Meshtastic!', 'real', 'meshtastic', t.member.callsign],
      ['found the dog', 'exercise', 'meshtastic', t.member.callsign],
    ]);
  });

  it('holds an unknown node for approval, stores nothing of it, and lists it once it sends the code', async () => {
    const t = await team();
    const cookie = await h.sessionCookie(`Mesh ${n}`, t.lead.callsign);
    const stranger = nextNode++;
    const id = nodeIdOf(stranger);
    await send(fromNode(FIRMWARE_POSITION, stranger));
    await send(fromNode(FIRMWARE_NODEINFO, stranger));
    await settle();
    expect(await rowsOf(id)).toEqual([]);
    const list = async () =>
      (
        await h.app.inject({ method: 'GET', url: '/api/meshtastic/pending', headers: { cookie } })
      ).json<MeshPendingList>().nodes;
    expect(await list()).toEqual([]);
    const { code } = (
      await h.app.inject({ method: 'GET', url: '/api/tak/enrolment', headers: { cookie } })
    ).json<TakEnrolment>();
    await send(fromNode(`{"from":0,"type":"text","payload":{"text":"${code}"}}`, stranger));
    await settle();
    expect(await list()).toEqual([
      expect.objectContaining({
        nodeId: id,
        name: 'Test User',
        type: 'text',
        count: 3,
        lastPosition: expect.objectContaining({ lat: 37.4208 }),
      }),
    ]);
    expect(await messagesOf(t.lead.teamId)).toEqual([]);

    // Bad approvals change nothing.
    const approve = (nodeId: string, memberId: string, headers: Record<string, string> = { cookie }) =>
      h.app.inject({
        method: 'POST',
        url: `/api/meshtastic/pending/${encodeURIComponent(nodeId)}/approve`,
        headers,
        payload: { memberId },
      });
    const bad = await approve('a1b2c3d4', t.member.memberId);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nodeId');
    expect((await approve(id, t.member.memberId, bearer(t.member))).statusCode).toBe(403);
    expect((await approve(t.nodeId, t.member.memberId)).statusCode).toBe(409);
    expect((await approve(id, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect(await rowsOf(id)).toEqual([]);

    const ok = await approve(id.toUpperCase().replace('!', '!'), t.member.memberId);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ nodeId: id, memberId: t.member.memberId, callsign: t.member.callsign });
    expect(await list()).toEqual([]);
    await send(fromNode(FIRMWARE_POSITION, stranger));
    await settle();
    expect(await rowsOf(id)).toHaveLength(1);
    const device = await d.db.selectFrom('devices').selectAll().where('id', '=', id).executeTakeFirst();
    expect(device?.name).toBe('Test User');
  });

  it('sends alerts and messages down to the mesh: EXERCISE in a drill, ≤ 200 bytes, one per interval, alerts first, duplicates merged', async () => {
    const t = await team();
    // Heard through the test gateway: the team's texts go back through it.
    await send(fromNode(FIRMWARE_POSITION, t.node));
    await settle();
    const opId = await startExercise(h, t.lead);
    const post = (text: string) =>
      h.app.inject({ method: 'POST', url: '/api/messages', headers: bearer(t.lead), payload: { text } });
    downlinks.length = 0;
    clock.ms += 120_000;
    expect((await post('m1')).statusCode).toBeLessThan(300);
    expect((await post('m1')).statusCode).toBeLessThan(300);
    expect((await post('x'.repeat(400))).statusCode).toBeLessThan(300);
    await h.services.alerts.raise(t.lead.teamId, {
      type: 'contact',
      mode: 'exercise',
      operationId: opId,
      senderId: t.lead.memberId,
      count: 3,
      text: 'three at the ridge',
    });
    const topic = `${root}/${region}/2/json/mqtt/${TEST_GATEWAY}`;
    const sentNow = () => gw.pump();
    expect(sentNow()).toBe(1);
    expect(sentNow()).toBe(0);
    clock.ms += 29_999;
    expect(sentNow()).toBe(0);
    clock.ms += 1;
    expect(sentNow()).toBe(1);
    clock.ms += 30_000;
    expect(sentNow()).toBe(1);
    clock.ms += 30_000;
    expect(sentNow()).toBe(0);
    await waitFor(() => downlinks.length >= 3);
    expect(gw.outbound.waiting()[topic]).toBe(0);
    expect(downlinks.map((x) => x.topic)).toEqual([topic, topic, topic]);
    expect(downlinks.every((x) => x.body.from === TEST_GATEWAY_NUM && x.body.type === 'sendtext')).toBe(true);
    const texts = downlinks.map((x) => x.body.payload);
    expect(texts[0]).toMatch(/^EXERCISE .*CONTACT: 3 hostiles reported by LEAD\d+: three at the ridge$/);
    expect(texts[1]).toBe(`EXERCISE ${t.lead.callsign}: m1`);
    expect(texts[2]?.startsWith(`EXERCISE ${t.lead.callsign}: xxx`)).toBe(true);
    expect(Buffer.byteLength(texts[2] ?? '')).toBeLessThanOrEqual(200);
    // The same shape as the docs' downlink, and the topic's layout.
    expect(Object.keys(downlinks[0]?.body ?? {}).sort()).toEqual(Object.keys(DOCS_DOWNLINK).sort());
    expect(topic.replace(root, 'msh').replace(region, 'US').replace(TEST_GATEWAY, '!67ea9400')).toBe(
      DOCS_DOWNLINK_TOPIC,
    );

    // The gateway uplinks what it sent: not a message of anyone's, nor a node waiting.
    const before = (await messagesOf(t.lead.teamId)).length;
    await send(JSON.stringify({ from: TEST_GATEWAY_NUM, id: 77, type: 'text', payload: { text: texts[1] } }));
    await settle();
    expect(await messagesOf(t.lead.teamId)).toHaveLength(before);
    expect(h.services.meshtastic.held.get(TEST_GATEWAY)).toBeUndefined();
  });

  it('sends a real SOS as real, and not the mesh’s own messages back', async () => {
    const t = await team();
    await send(fromNode(FIRMWARE_POSITION, t.node));
    await send(fromNode('{"from":0,"type":"text","payload":{"text":"from the mesh"}}', t.node));
    await settle();
    clock.ms += 120_000;
    downlinks.length = 0;
    const sos = await h.app.inject({
      method: 'POST',
      url: '/api/alerts/sos',
      headers: bearer(t.member),
      payload: { text: 'leg broken' },
    });
    expect(sos.statusCode).toBeLessThan(300);
    // The escalation (callout) and the SOS: two texts, one per interval.
    let sent = gw.pump();
    clock.ms += 30_000;
    sent += gw.pump();
    clock.ms += 30_000;
    sent += gw.pump();
    expect(sent).toBe(2);
    await waitFor(() => downlinks.length >= 2);
    const texts = downlinks.map((x) => x.body.payload);
    expect(texts.some((s) => /^REAL .*SOS from RAD\d+: leg broken$/.test(s))).toBe(true);
    expect(texts.every((s) => !s.includes('EXERCISE') && !s.includes('from the mesh'))).toBe(true);
  });

  it('logs and drops bad packets, stores nothing of them, and keeps the connection', async () => {
    const t = await team();
    clock.ms = Date.now();
    const before = log.lines.length;
    await send('{"from": 1, "type": "position", "payload": {');
    await send(
      fromNode('{"from":0,"type":"position","payload":{"latitude_i":"46","longitude_i":7}}', t.node),
    );
    await send(
      fromNode('{"from":0,"type":"position","payload":{"latitude_i":950000000,"longitude_i":7}}', t.node),
    );
    await send(
      fromNode('{"from":0,"type":"position","payload":{"latitude_i":1,"longitude_i":-1900000000}}', t.node),
    );
    await send(JSON.stringify({ ...JSON.parse(FIRMWARE_ENCRYPTED), from: t.node }));
    await send(
      fromNode(
        '{"from":0,"type":"position","payload":{"latitude_i":1,"longitude_i":1,"time":4102444800}}',
        t.node,
      ),
    );
    await send(fromNode(FIRMWARE_WAYPOINT, t.node));
    await send(
      fromNode(
        '{"from":0,"type":"position","payload":{"latitude_i":465000000,"longitude_i":75000000}}',
        t.node,
      ),
    );
    await settle();
    const rows = await rowsOf(t.nodeId);
    expect(rows.map((r) => [r.lat, r.lon])).toEqual([[46.5, 7.5]]);
    expect(gw.client.connected).toBe(true);
    const lines = log.lines.slice(before).filter((l) => l.level === 'warn');
    expect(lines.map((l) => [l.msg, l.obj.field])).toEqual([
      ['meshtastic: packet rejected, nothing stored', '(body)'],
      ['meshtastic: packet rejected, nothing stored', 'payload.latitude_i'],
      ['meshtastic: packet rejected, nothing stored', 'payload.latitude_i'],
      ['meshtastic: packet rejected, nothing stored', 'payload.longitude_i'],
      ['meshtastic: packet rejected, nothing stored', 'type'],
      ['meshtastic: packet refused, nothing stored', 'timestamp'],
    ]);
  });
});
