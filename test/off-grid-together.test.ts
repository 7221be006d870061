// The off-grid issue's "done when", for the radios and satellite messengers: a phone (Traccar Client), a TAK
// client, a Meshtastic node, an inReach and an APRS tracker in one team show on the same map; during an exercise an alert
// reaches the mesh prefixed EXERCISE; a real SOS from the inReach escalates like any other. Every client
// speaks its real protocol to a Howl started as `npm start` starts it (HOWL_MESHTASTIC_URL and HOWL_APRS_IS set,
// the APRS-IS server a stand-in on loopback speaking as aprsc does).
import { randomBytes } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHowl } from '../src/app/start.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { nodeIdOf } from '../src/gateways/meshtastic/parse.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { TakClient } from './fixtures/cot/tak-client.ts';
import { IPC_BODY, IPC_EVENT } from './fixtures/inreach/captures.ts';
import { FIRMWARE_POSITION, fromNode, TEST_GATEWAY } from './fixtures/meshtastic/captures.ts';
import { waitFor } from './fixtures/owntracks/support.ts';
import { AprsIsStandIn } from './support/aprs-is-server.ts';
import { engines } from './support/engines.ts';
import { MQTT_URL } from './support/mqtt.ts';
import { handOverTeam, startServer, type TestServer } from './support/server.ts';

const AT = {
  PHONE: { lat: 46.551, lon: 7.981 },
  TAK: { lat: 46.552, lon: 7.982 },
  MESH: { lat: 46.553, lon: 7.983 },
  SAT: { lat: 46.554, lon: 7.984 },
  // 46°33.30' N, 7°59.10' E: as an APRS position writes it, 4633.30N/00759.10E.
  APRS: { lat: 46.555, lon: 7.985 },
} as const;
type Callsign = keyof typeof AT | 'LEAD';

describe.skipIf(!MQTT_URL).each(engines)(
  'radios and satellite messengers in one team, on $name',
  ({ name }) => {
    const root = `howloffgrid-${randomBytes(4).toString('hex')}`;
    const node = 0x3b000000 + randomBytes(2).readUInt16BE();
    const imei = `30043403${String(randomBytes(3).readUIntBE(0, 3)).padStart(7, '0')}`;
    let server: TestServer;
    let howl: RunningHowl;
    let api: string;
    let m: Record<Callsign, AddedMember>;
    let radio: MqttClient;
    let tak: TakClient;
    const aprsIs = new AprsIsStandIn();
    const aprsCall = `N${randomBytes(2).readUInt16BE() % 10}TST-9`;
    const downlinks: string[] = [];

    beforeAll(async () => {
      const aprsPort = await aprsIs.listen();
      server = await startServer(name, 'offgrid', {
        HOWL_TEAM: 'Off grid',
        HOWL_APRS_IS: `127.0.0.1:${aprsPort}`,
        HOWL_APRS_CALLSIGN: 'N0CALL-10',
        HOWL_MESHTASTIC_URL: MQTT_URL ?? '',
        HOWL_MESHTASTIC_ROOT: root,
        HOWL_MESHTASTIC_SEND_S: '1',
      });
      howl = server.howl;
      api = howl.localUrl;
      m = await handOverTeam(howl, ['LEAD', 'PHONE', 'TAK', 'MESH', 'SAT', 'APRS'] as Callsign[], {
        leaders: ['LEAD'],
        devices: {
          PHONE: `traccar-${randomBytes(4).toString('hex')}`,
          TAK: `ANDROID-${randomBytes(6).toString('hex')}`,
          MESH: nodeIdOf(node),
          SAT: imei,
          APRS: aprsCall,
        },
      });
      radio = await connectAsync(MQTT_URL ?? '', {
        clientId: `offgrid-${randomBytes(4).toString('hex')}`,
        reconnectPeriod: 0,
      });
      radio.on('message', (_topic, payload) => downlinks.push(JSON.parse(payload.toString()).payload));
      await radio.subscribeAsync(`${root}/+/2/json/mqtt/+`, { qos: 1 });
      tak = await TakClient.connect(howl.ports.cot);
    }, 120_000);

    afterAll(async () => {
      tak?.close();
      await radio?.endAsync();
      await server?.close();
      await aprsIs.close();
    });

    const lead = (method: string, path: string, body?: unknown) =>
      fetch(`${api}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${m.LEAD.token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const latest = async () => {
      const res = await lead('GET', '/api/positions/latest');
      const fc = (await res.json()) as {
        features: Array<{
          geometry: { coordinates: number[] };
          properties: { callsign: string; status: string };
        }>;
      };
      return new Map(fc.features.map((f) => [f.properties.callsign, f]));
    };

    it('shows the phone, the TAK client, the Meshtastic node, the inReach and the APRS tracker on one map', async () => {
      const osmand = `http://127.0.0.1:${howl.ports.osmand}`;
      const r = await fetch(
        `${osmand}/?id=${m.PHONE.device}&lat=${AT.PHONE.lat}&lon=${AT.PHONE.lon}&timestamp=${Date.now() - 2000}`,
      );
      expect(r.status).toBe(200);
      const sa = withUid(ATAK_SA_GEMINI, m.TAK.device)
        .replace(/lat="[^"]*"/, `lat="${AT.TAK.lat}"`)
        .replace(/lon="[^"]*"/, `lon="${AT.TAK.lon}"`);
      tak.send(retime(sa, new Date(Date.now() - 2000)));
      await tak.sync();
      const position = JSON.parse(fromNode(FIRMWARE_POSITION, node)) as { payload: Record<string, number> };
      position.payload = {
        latitude_i: AT.MESH.lat * 1e7,
        longitude_i: AT.MESH.lon * 1e7,
        time: Math.floor(Date.now() / 1000) - 2,
      };
      await radio.publishAsync(`${root}/EU_868/2/json/SAR/${TEST_GATEWAY}`, JSON.stringify(position), {
        qos: 1,
      });
      const { secret } = (await (await lead('GET', '/api/inreach/outbound-settings')).json()) as {
        secret: string;
      };
      const sat = await fetch(`${api}/api/inreach/outbound?secret=${secret}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...IPC_BODY,
          Events: [
            {
              ...IPC_EVENT,
              imei,
              messageCode: 0,
              freeText: '',
              timeStamp: Date.now() - 2000,
              point: { ...IPC_EVENT.point, latitude: AT.SAT.lat, longitude: AT.SAT.lon },
            },
          ],
        }),
      });
      expect(sat.status).toBe(200);
      // The APRS-IS server relays the tracker's packet once Howl has asked for its callsign (in a `#filter`
      // command, or in the login's filter when it logged in after the member was added).
      await waitFor(() =>
        aprsIs.received.some((l) => /^(#filter|user) /.test(l) && l.includes(aprsCall)) ? true : undefined,
      );
      aprsIs.send(`${aprsCall}>APRS,TCPIP*,qAC,T2TEST:!4633.30N/00759.10E>search team`);

      const map = await waitFor(async () => {
        const got = await latest();
        return (['PHONE', 'TAK', 'MESH', 'SAT', 'APRS'] as const).every((cs) => got.has(cs))
          ? got
          : undefined;
      });
      for (const cs of ['PHONE', 'TAK', 'MESH', 'SAT', 'APRS'] as const) {
        const [lon, lat] = map.get(cs)?.geometry.coordinates ?? [];
        expect(lat, cs).toBeCloseTo(AT[cs].lat, 6);
        expect(lon, cs).toBeCloseTo(AT[cs].lon, 6);
      }
    });

    it('sends an exercise alert to the mesh prefixed EXERCISE', async () => {
      const planned = await lead('POST', '/api/operations', { name: 'Night drill' });
      const op = (await planned.json()) as { id: string };
      expect((await lead('POST', `/api/operations/${op.id}/actions`, { action: 'start' })).status).toBe(200);
      const contact = await lead('POST', '/api/alerts/contact', { count: 2, text: 'two at the ford' });
      expect(contact.status).toBeLessThan(300);
      const text = await waitFor(() => downlinks.find((t) => t.includes('two at the ford')), 15_000);
      expect(text).toMatch(/^EXERCISE .*CONTACT: 2 hostiles reported by LEAD: two at the ford$/);
    });

    it('escalates a real SOS from the inReach like any other, and the mesh hears it as real', async () => {
      const { secret } = (await (await lead('GET', '/api/inreach/outbound-settings')).json()) as {
        secret: string;
      };
      const res = await fetch(`${api}/api/inreach/outbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-outbound-auth-token': secret },
        body: JSON.stringify({
          ...IPC_BODY,
          Events: [
            { ...IPC_EVENT, imei, messageCode: 4, freeText: 'avalanche', timeStamp: Date.now() - 1000 },
          ],
        }),
      });
      expect(await res.json()).toMatchObject({ sos: 1 });
      const { alerts } = (await (await lead('GET', '/api/alerts')).json()) as {
        alerts: Array<{ type: string; mode: string; text: string; sender: string }>;
      };
      expect(alerts.find((a) => a.type === 'sos')).toMatchObject({
        mode: 'real',
        sender: 'SAT',
        text: 'satellite SOS (inReach): avalanche',
      });
      expect(alerts.find((a) => a.type === 'escalation')).toMatchObject({ mode: 'real' });
      expect((await latest()).get('SAT')?.properties.status).toBe('sos');
      const text = await waitFor(() => downlinks.find((t) => t.includes('avalanche')), 15_000);
      expect(text).toMatch(/^REAL .*SOS from SAT: satellite SOS \(inReach\): avalanche$/);
    });
  },
);
