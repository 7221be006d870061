import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mqtt from 'mqtt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { teamKey } from '../src/gateways/owntracks/identity.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { TakClient } from './fixtures/cot/tak-client.ts';
import { PG_URL } from './support/engines.ts';
import { MQTT_URL } from './support/mqtt.ts';
import { canRun } from './support/requirements.ts';
import { loopbackConfig } from './support/server.ts';
import { startTcpProxy } from './support/tcp-proxy.ts';
import { createTempPostgres } from './support/temp-postgres.ts';

const NATS_URL = canRun(
  'cluster tests',
  process.env.HOWL_TEST_NATS_URL ? undefined : 'HOWL_TEST_NATS_URL is not set',
  'set it to a NATS server, e.g. nats://127.0.0.1:4222',
)
  ? process.env.HOWL_TEST_NATS_URL
  : undefined;

/** A live viewer: every message it received, and a wait for one. */
interface Viewer {
  ws: WebSocket;
  messages: { type: string; [k: string]: unknown }[];
  closed: Promise<number>;
  until<T>(pick: (m: { type: string; [k: string]: unknown }) => T | undefined, ms?: number): Promise<T>;
}

async function viewer(node: RunningHowl, token: string, after?: number): Promise<Viewer> {
  const ws = new WebSocket(
    `ws://127.0.0.1:${node.ports.http}/api/live?token=${encodeURIComponent(token)}${after === undefined ? '' : `&after=${after}`}`,
  );
  const messages: Viewer['messages'] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters) w();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    messages,
    closed,
    until: (pick, ms = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (const m of messages) {
            const v = pick(m);
            if (v !== undefined) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(v);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('timed out waiting for a live message'));
        }, ms);
        waiters.add(check);
        check();
      }),
  };
}

/** The positions a live message carries (one, or a tick's frame). */
const positionsIn = (m: { type: string; [k: string]: unknown }) =>
  (m.type === 'positions'
    ? (m.positions as { memberId: string; lat: number }[])
    : m.type === 'position'
      ? [m.position as { memberId: string; lat: number }]
      : []) ?? [];

describe.skipIf(!NATS_URL || !PG_URL)('two Howl nodes on one PostgreSQL and NATS', () => {
  const dirs: string[] = [];
  let drop: (() => Promise<void>) | undefined;
  let a: RunningHowl;
  let b: RunningHowl;
  let lead: AddedMember;
  let runner: AddedMember;

  let pgUrl = '';
  const mqttRoot = `howlcluster${Date.now()}`;
  const node = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-node-'));
    dirs.push(dir);
    const mqtt: Record<string, string> = MQTT_URL
      ? { HOWL_MQTT_URL: MQTT_URL, HOWL_MQTT_TOPIC: mqttRoot }
      : {};
    return startHowl(loopbackConfig(dir, { DATABASE_URL: pgUrl, HOWL_NATS_URL: NATS_URL ?? '', ...mqtt }), {
      logger: false,
      webDir: null,
    });
  };

  beforeAll(async () => {
    const temp = await createTempPostgres(PG_URL ?? '');
    drop = temp.drop;
    pgUrl = temp.url;
    a = await node();
    b = await node();
    const team = await a.services.teams.resolveExisting(undefined);
    lead = await a.services.members.add({ kind: 'admin' }, team, {
      name: 'Lead',
      callsign: 'LEAD',
      role: 'leader',
    });
    runner = await a.services.members.add({ kind: 'admin' }, team, { name: 'Runner', callsign: 'RUNNER' });
  }, 60_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await drop?.();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('says which node it is and that it reaches NATS', async () => {
    const health = await (await fetch(`${b.localUrl}/api/health`)).json();
    expect(health).toMatchObject({
      status: 'ok',
      database: 'postgres',
      cluster: { node: b.node, nats: 'connected' },
    });
    expect(a.node).not.toBe(b.node);
  });

  it('shows a position reported to node A to a viewer on node B, once, and measures how long it took', async () => {
    const onB = await viewer(b, lead.token);
    await onB.until((m) => (m.type === 'snapshot' ? true : undefined));
    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      const lat = Number((46.9 + i * 1e-4).toFixed(6));
      const t0 = performance.now();
      const res = await fetch(
        `http://127.0.0.1:${a.ports.osmand}/?id=${runner.device}&lat=${lat}&lon=7.4&timestamp=${Date.now()}`,
      );
      expect(res.status).toBe(200);
      await onB.until((m) => positionsIn(m).find((p) => p.memberId === runner.memberId && p.lat === lat));
      latencies.push(performance.now() - t0);
    }
    const seen = onB.messages.flatMap(positionsIn).filter((p) => p.memberId === runner.memberId);
    expect(seen).toHaveLength(20);
    latencies.sort((x, y) => x - y);
    console.log(
      `[cluster] position on A → viewer on B: p50 ${latencies[10]?.toFixed(0)} ms, max ${latencies.at(-1)?.toFixed(0)} ms`,
    );
    onB.ws.close();
  });

  it('with a third node, shows a position from A to viewers on B and C, once each', async () => {
    const c = await node();
    try {
      const onB = await viewer(b, lead.token);
      const onC = await viewer(c, lead.token);
      for (const v of [onB, onC]) await v.until((m) => (m.type === 'snapshot' ? true : undefined));
      const lat = 47.123456;
      const res = await fetch(
        `http://127.0.0.1:${a.ports.osmand}/?id=${runner.device}&lat=${lat}&lon=7.4&timestamp=${Date.now()}`,
      );
      expect(res.status).toBe(200);
      for (const v of [onB, onC])
        await v.until((m) => positionsIn(m).find((p) => p.memberId === runner.memberId && p.lat === lat));
      await new Promise((r) => setTimeout(r, 300));
      for (const v of [onB, onC]) {
        expect(v.messages.flatMap(positionsIn).filter((p) => p.lat === lat)).toHaveLength(1);
        v.ws.close();
      }
    } finally {
      await c.close();
    }
  });

  it('shows an SOS raised on node B to a viewer and a TAK client on node A', async () => {
    const onA = await viewer(a, lead.token);
    await onA.until((m) => (m.type === 'snapshot' ? true : undefined));
    // The leader's ATAK, bound to node A by an SA under the leader's device id.
    const tak = await TakClient.connect(a.ports.cot);
    tak.send(retime(withUid(ATAK_SA_GEMINI, lead.device)));
    await tak.sync();
    // Where the runner is (an emergency without a place is not sent to TAK).
    const fix = await fetch(
      `http://127.0.0.1:${b.ports.osmand}/?id=${runner.device}&lat=46.95&lon=7.45&timestamp=${Date.now()}`,
    );
    expect(fix.status).toBe(200);
    await tak.waitFor((r) => r.attrs.uid === `howl-${runner.memberId}`);
    const res = await fetch(`${b.localUrl}/api/alerts/sos`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'fell at the quarry' }),
    });
    expect(res.status).toBe(201);
    const alert = await onA.until((m) => {
      const e = m.event as
        | { type?: string; change?: string; alert?: { type: string; text: string } }
        | undefined;
      return m.type === 'event' &&
        e?.type === 'alert.updated' &&
        e.change === 'raised' &&
        e.alert?.type === 'sos'
        ? e.alert
        : undefined;
    });
    expect(alert).toMatchObject({ type: 'sos', text: 'fell at the quarry' });
    const emergency = await tak.waitFor((r) => r.attrs.type === 'b-a-o-tbl');
    expect(emergency.detail?.emergency).toMatchObject({ type: '911 Alert', '#text': 'RUNNER' });
    tak.socket.destroy();
    onA.ws.close();
  });

  it('re-sends an unacknowledged real alert once per interval with two nodes up, and on when one stops', async () => {
    const team = await a.services.teams.resolveExisting(undefined);
    await a.services.teams.update({ kind: 'admin' }, team.id, { alertResendS: 5 });
    const onA = await viewer(a, lead.token);
    const onB = await viewer(b, lead.token);
    const raised = await fetch(`${a.localUrl}/api/alerts/contact`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runner.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ count: 3, text: 'resend check' }),
    });
    expect(raised.status).toBe(201);
    const id = ((await raised.json()) as { id: string }).id;
    const reminders = (v: Viewer) =>
      v.messages.filter((m) => m.type === 'alert.reminder' && (m.alert as { id: string }).id === id).length;
    // Over 12 s at one re-send in 5 s: two, seen alike on both nodes (one node re-sends, the other relays).
    await new Promise((r) => setTimeout(r, 12_000));
    expect(reminders(onA)).toBe(2);
    expect(reminders(onB)).toBe(2);
    // The node running the job stops: the other takes the re-sends over.
    const leases = new pg.Client({ connectionString: pgUrl });
    await leases.connect();
    const held = (await leases.query(`select node from cluster_leases where job = 'alerts'`)).rows[0]?.node;
    await leases.end();
    const aHolds = held === a.node;
    expect(aHolds || held === b.node).toBe(true);
    const watch = aHolds ? onB : onA;
    const before = reminders(watch);
    await (aHolds ? a : b).close();
    await new Promise((r) => setTimeout(r, 11_000));
    expect(reminders(watch) - before).toBeGreaterThanOrEqual(1);
    expect(reminders(watch) - before).toBeLessThanOrEqual(3);
    onA.ws.close();
    onB.ws.close();
    if (aHolds) a = await node();
    else b = await node();
  }, 60_000);

  it.skipIf(!MQTT_URL)(
    'stores each OwnTracks message from the broker once, whichever node takes it',
    async () => {
      const team = await a.services.teams.resolveExisting(undefined);
      const phone = await a.services.members.add({ kind: 'admin' }, team, {
        name: 'Phone',
        callsign: 'PHONE',
        device: 'kim-phone',
      });
      const app = await mqtt.connectAsync(MQTT_URL ?? '', { clientId: `howl-cluster-app-${Date.now()}` });
      const topic = `${mqttRoot}/${teamKey(phone.teamId)}/kim/phone`;
      const t0 = Math.floor(Date.now() / 1000) - 100;
      for (let i = 0; i < 20; i++)
        await app.publishAsync(
          topic,
          JSON.stringify({
            _type: 'location',
            lat: 46.9 + i * 1e-4,
            lon: 7.4,
            tst: t0 + i,
            tid: 'KP',
            acc: 5,
          }),
          { qos: 1 },
        );
      await app.endAsync();
      const stored = async () =>
        (await a.services.positions.trails({ kind: 'admin' }, team.id, new Date((t0 - 10) * 1000)))[
          phone.memberId
        ]?.length ?? 0;
      await expect.poll(stored, { timeout: 10_000 }).toBe(20);
      // Nothing arrives late as a second copy.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await stored()).toBe(20);
    },
  );

  it('closes a viewer on node B when its member is revoked on node A, and B refuses the old device id', async () => {
    const team = await a.services.teams.resolveExisting(undefined);
    const lost = await a.services.members.add({ kind: 'admin' }, team, { name: 'Lost', callsign: 'LOST' });
    // Node B has seen the device (its owner is cached there).
    const before = await fetch(
      `http://127.0.0.1:${b.ports.osmand}/?id=${lost.device}&lat=46.9&lon=7.4&timestamp=${Date.now()}`,
    );
    expect(before.status).toBe(200);
    const onB = await viewer(b, lost.token);
    await onB.until((m) => (m.type === 'snapshot' ? true : undefined));
    await a.services.members.revoke({ kind: 'admin' }, team.id, lost.memberId);
    const code = await Promise.race([onB.closed, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    expect(code).not.toBe(-1);
    const after = await fetch(
      `http://127.0.0.1:${b.ports.osmand}/?id=${lost.device}&lat=46.9&lon=7.4&timestamp=${Date.now()}`,
    );
    expect(after.status).toBe(404);
  });

  it('refuses on node B at once a leader demoted, then revoked, on node A, though B trusted the token', async () => {
    const team = await a.services.teams.resolveExisting(undefined);
    const boss = await a.services.members.add({ kind: 'admin' }, team, {
      name: 'Boss',
      callsign: 'BOSS',
      role: 'leader',
    });
    const onB = () =>
      fetch(`${b.localUrl}/api/webhooks`, { headers: { authorization: `Bearer ${boss.token}` } });
    expect((await onB()).status).toBe(200);
    expect((await onB()).status).toBe(200);
    await a.services.members.update({ kind: 'admin' }, team.id, boss.memberId, { role: 'member' });
    await expect.poll(async () => (await onB()).status, { timeout: 5000 }).toBe(403);
    await a.services.members.revoke({ kind: 'admin' }, team.id, boss.memberId);
    await expect.poll(async () => (await onB()).status, { timeout: 5000 }).toBe(401);
  });
});

describe.skipIf(!NATS_URL || !PG_URL)('a node that loses NATS', () => {
  it('keeps serving, says so, and its viewers get every event missed meanwhile, staying or reconnecting', async () => {
    const temp = await createTempPostgres(PG_URL ?? '');
    const nats = new URL(NATS_URL ?? '');
    const proxy = await startTcpProxy(nats.hostname, Number(nats.port || 4222));
    const folders: string[] = [];
    const node = (natsUrl: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'howl-node-'));
      folders.push(dir);
      return startHowl(loopbackConfig(dir, { DATABASE_URL: temp.url, HOWL_NATS_URL: natsUrl }), {
        logger: false,
        webDir: null,
      });
    };
    const a = await node(NATS_URL ?? '');
    const b = await node(`nats://127.0.0.1:${proxy.port}`);
    try {
      const team = await a.services.teams.resolveExisting(undefined);
      const lead = await a.services.members.add({ kind: 'admin' }, team, {
        name: 'Lead',
        callsign: 'LEAD',
        role: 'leader',
      });
      const say = async (text: string) => {
        const res = await fetch(`${a.localUrl}/api/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${lead.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
        });
        expect(res.status).toBe(201);
      };
      const texts = (v: Viewer) =>
        v.messages.flatMap((m) => {
          const e = m.event as { type?: string; seq?: number; message?: { text: string } } | undefined;
          return m.type === 'event' && e?.type === 'message.posted'
            ? [{ seq: e.seq ?? 0, text: e.message?.text }]
            : [];
        });
      const natsOf = async () =>
        ((await (await fetch(`${b.localUrl}/api/health`)).json()) as { cluster: { nats: string } }).cluster
          .nats;

      const first = await viewer(b, lead.token);
      await first.until((m) => (m.type === 'snapshot' ? true : undefined));
      await say('before the cut');
      await first.until(() => (texts(first).some((t) => t.text === 'before the cut') ? true : undefined));
      const lastSeen = Math.max(...texts(first).map((t) => t.seq));

      proxy.cut();
      await expect.poll(natsOf, { timeout: 10_000 }).toBe('disconnected');
      for (let i = 0; i < 5; i++) await say(`during the cut ${i}`);
      // Node B still serves its own clients while NATS is away.
      expect((await fetch(`${b.localUrl}/api/health`)).status).toBe(200);
      proxy.restore();
      await expect.poll(natsOf, { timeout: 15_000 }).toBe('connected');

      // A viewer that stayed connected to B gets what NATS lost, read from the database when NATS came back:
      // every missed event, once, in order, without reconnecting.
      const during = [0, 1, 2, 3, 4].map((i) => `during the cut ${i}`);
      await first.until(() => (texts(first).length >= 6 ? true : undefined), 10_000);
      expect(texts(first).map((t) => t.text)).toEqual(['before the cut', ...during]);
      first.ws.close();

      // The viewer comes back with the last number it saw: every missed event, once, in order.
      const again = await viewer(b, lead.token, lastSeen);
      await again.until(() => (texts(again).length >= 5 ? true : undefined));
      expect(texts(again).map((t) => t.text)).toEqual(during);
      // And live again across the nodes.
      await say('after the cut');
      await again.until(() => (texts(again).some((t) => t.text === 'after the cut') ? true : undefined));
      again.ws.close();
    } finally {
      await a.close();
      await b.close();
      await proxy.close();
      await temp.drop();
      for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.skipIf(!NATS_URL || !PG_URL)('a node killed with SIGKILL', () => {
  it('loses nothing it acknowledged, and its jobs move to the node left', async () => {
    const temp = await createTempPostgres(PG_URL ?? '');
    const children: ChildProcess[] = [];
    const folders: string[] = [];
    const folder = () => {
      const dir = mkdtempSync(join(tmpdir(), 'howl-node-'));
      folders.push(dir);
      return dir;
    };
    try {
      // Nodes as processes of their own (bench/server.ts serves on random ports and prints them).
      const start = async (devices: number) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], {
          env: {
            ...process.env,
            DATABASE_URL: temp.url,
            HOWL_NATS_URL: NATS_URL,
            HOWL_DATA_DIR: folder(),
            BENCH_DEVICES: String(devices),
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        children.push(child);
        const line = await new Promise<string>((resolve, reject) => {
          child.once('exit', (code) => reject(new Error(`node exited with ${code}`)));
          createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
        });
        return {
          child,
          ready: JSON.parse(line) as { osmandPort: number; httpPort: number; devices: string[] },
        };
      };
      const a = await start(2);
      const b = await start(0);
      const db = new pg.Client({ connectionString: temp.url });
      await db.connect();
      try {
        const holder = async () =>
          (await db.query(`select node from cluster_leases where job = 'alerts'`)).rows[0]?.node as
            | string
            | undefined;
        const nodeOf = async (port: number) =>
          (
            (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as {
              cluster: { node: string };
            }
          ).cluster.node;
        const [nodeA, nodeB] = [await nodeOf(a.ready.httpPort), await nodeOf(b.ready.httpPort)];
        // A started first: it holds the jobs.
        await expect.poll(holder, { timeout: 10_000 }).toBe(nodeA);
        let acknowledged = 0;
        let alive = true;
        const post = (async () => {
          for (let i = 0; alive; i++) {
            const status = await fetch(
              `http://127.0.0.1:${a.ready.osmandPort}/?id=${a.ready.devices[i % 2]}&lat=${(46.9 + i * 1e-6).toFixed(6)}&lon=7.4&timestamp=${Date.now()}`,
            )
              .then((r) => r.status)
              .catch(() => 0);
            if (status === 200) acknowledged++;
          }
        })();
        await new Promise((r) => setTimeout(r, 1500));
        const dead = new Promise((r) => a.child.once('exit', r));
        a.child.kill('SIGKILL');
        await dead;
        alive = false;
        await post;
        const stored = Number((await db.query('select count(*)::int as n from positions')).rows[0]?.n);
        console.log(`[cluster] node killed: ${acknowledged} positions acknowledged, ${stored} stored`);
        expect(acknowledged).toBeGreaterThan(0);
        expect(stored).toBeGreaterThanOrEqual(acknowledged);
        // Its lease lapses within 5 s; the node left takes the jobs.
        await expect.poll(holder, { timeout: 15_000, interval: 500 }).toBe(nodeB);
      } finally {
        await db.end();
      }
    } finally {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      await temp.drop();
      for (const dir of folders) rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('clustered mode needs PostgreSQL', () => {
  it('is refused on the embedded database, with the reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'howl-node-'));
    try {
      expect(() => loopbackConfig(dir, { HOWL_NATS_URL: 'nats://127.0.0.1:4222' })).toThrow(
        /HOWL_NATS_URL: several nodes need one PostgreSQL/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
