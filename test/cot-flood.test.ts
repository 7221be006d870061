import { mkdtempSync, rmSync } from 'node:fs';
import { type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { type CotServer, type CotServerOptions, startCotServer } from '../src/gateways/cot/server.ts';
import { loadOrCreateTls } from '../src/server/tls.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { TakClient } from './fixtures/cot/tak-client.ts';
import { engines } from './support/engines.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { useHarness } from './support/setup.ts';

/** One slow connection of a flood: when it opened and, once it has, when the server closed it. */
interface Slow {
  socket: Socket;
  openedAt: number;
  closedAt?: number;
}

// The fixture client wraps any connected socket; a TLS socket is one.
const wrap = TakClient as unknown as new (s: Socket) => TakClient;
/** Never a whole event: the start of one, then its remarks, a byte at a time, for ever. */
const DRIBBLE = Buffer.from('<event version="2.0" uid="slow" type="a-f-G-U-C"><detail><remarks>');
/** A TLS record header announcing a ClientHello of 512 bytes, which never all come. */
const HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(20);
  }
}

describe.each(engines)('CoT listener under a flood of unidentified connections on $name', (engine) => {
  const { h, d } = useHarness(engine);
  const { logger, logs } = recordingLogger();
  let dir: string;
  let tlsPems: { cert: string; key: string };
  let cot: CotServer | undefined;
  let n = 0;
  const slow: Slow[] = [];
  const clients: TakClient[] = [];
  let dribbler: NodeJS.Timeout | undefined;
  const figures: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'howl-cot-flood-'));
    const files = await loadOrCreateTls({ dataDir: dir, hosts: ['127.0.0.1'] });
    tlsPems = { cert: files.cert, key: files.key };
  }, 60_000);
  afterEach(async () => {
    clearInterval(dribbler);
    for (const s of slow.splice(0)) s.socket.destroy();
    for (const c of clients.splice(0)) c.close();
    await cot?.close();
    cot = undefined;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    // The figures the reliability notes quote.
    console.info(`cot flood on ${engine.name}:\n  ${figures.join('\n  ')}`);
  });

  const start = async (o: Partial<CotServerOptions>) => {
    cot = await startCotServer(h.services, {
      port: 0,
      host: '127.0.0.1',
      logger,
      tls: { port: 0, cert: tlsPems.cert, key: tlsPems.key },
      ...o,
    });
    return cot;
  };
  const track = (socket: Socket): Slow => {
    const s: Slow = { socket, openedAt: Date.now() };
    socket.on('error', () => undefined);
    socket.on('close', () => {
      s.closedAt = Date.now();
    });
    slow.push(s);
    return s;
  };
  /** `count` plain TCP connections to `port`, opened one after the other (each waits for its connect). */
  const openTcp = async (port: number, count: number): Promise<Slow[]> => {
    const out: Slow[] = [];
    for (let i = 0; i < count; i++) {
      const s = track(tcpConnect({ port, host: '127.0.0.1' }));
      await new Promise<void>((r) => {
        s.socket.once('connect', () => r());
        s.socket.once('close', () => r());
      });
      out.push(s);
    }
    return out;
  };
  /** `count` TLS connections that finish their handshake (or are refused while at it). */
  const openTls = async (port: number, count: number): Promise<Slow[]> => {
    const out: Slow[] = [];
    for (let i = 0; i < count; i++) {
      const socket = tlsConnect({ port, host: '127.0.0.1', ca: tlsPems.cert, servername: 'localhost' });
      const s = track(socket);
      await new Promise<void>((r) => {
        socket.once('secureConnect', () => r());
        socket.once('close', () => r());
      });
      out.push(s);
    }
    return out;
  };
  /** Every open slow connection gets one more byte every `everyMs`: never a whole event, never idle. */
  const dribble = (everyMs: number, bytes: (s: Slow) => Buffer) => {
    let i = 0;
    dribbler = setInterval(() => {
      i++;
      for (const s of slow) {
        if (s.closedAt !== undefined || !s.socket.writable) continue;
        const b = bytes(s);
        s.socket.write(b.subarray(i % b.length, (i % b.length) + 1));
      }
    }, everyMs);
  };
  const open = (set: Slow[]) => set.filter((s) => s.closedAt === undefined).length;

  /** A team with a member on the map and a registered TAK user: the legitimate client. */
  const team = async () => {
    const t = `Flood team ${++n}`;
    const other = await h.addMember(t, `MAP${n}`);
    await h.services.positions.reportFromDevice({
      deviceId: other.device,
      time: new Date(),
      lat: 46.3,
      lon: 7.3,
      source: 'osmand',
    });
    const tak = await h.addMember(t, `TAK${n}`, { device: `ANDROID-flood-${engine.name}-${++n}` });
    return { other, tak };
  };
  /**
   * The legitimate client: it connects, sends its SA, and is through once its position is stored and the team
   * picture has come; turned away, it tries again 250 ms later, as TAK clients reconnect (for 5 s at most).
   * How long it waited from its first try, and how many tries it took.
   */
  const legitimate = async (
    how: 'tcp' | 'tls',
    t: { other: AddedMember; tak: AddedMember },
  ): Promise<{ c: TakClient; ms: number; tries: number }> => {
    const began = Date.now();
    for (let tries = 1; ; tries++) {
      try {
        const c = await attempt(how, t);
        return { c, ms: Date.now() - began, tries };
      } catch (err) {
        if (Date.now() - began > 5000) throw err;
        await sleep(250);
      }
    }
  };
  const attempt = async (how: 'tcp' | 'tls', t: { other: AddedMember; tak: AddedMember }) => {
    const server = cot as CotServer;
    const c =
      how === 'tcp'
        ? await TakClient.connect(server.port)
        : await new Promise<TakClient>((resolve, reject) => {
            const s = tlsConnect(
              { port: server.tlsPort ?? 0, host: '127.0.0.1', ca: tlsPems.cert, servername: 'localhost' },
              () => resolve(new wrap(s)),
            );
            s.once('error', reject);
          });
    clients.push(c);
    c.send(
      retime(
        withUid(ATAK_SA_GEMINI, t.tak.device)
          .replace(/lat="[^"]*"/, 'lat="46.2"')
          .replace(/lon="[^"]*"/, 'lon="7.2"'),
      ),
    );
    await c.waitFor((r) => r.attrs.type === 'a-f-G-U-C' && r.xml.includes(t.other.callsign), {
      what: 'the team picture',
    });
    // The SA that bound it is handled before this ping is answered.
    await c.sync();
    const rows = await d.db
      .selectFrom('positions')
      .select(['lat', 'source'])
      .where('device_id', '=', t.tak.device)
      .execute();
    expect(rows).toContainEqual({ lat: 46.2, source: 'cot' });
    return c;
  };

  it('refuses connections beyond the cap on unidentified ones, closes the slow at the deadline, and lets a member in', async () => {
    const server = await start({
      maxUnidentified: 30,
      maxUnidentifiedPerAddress: 1000,
      firstEventTimeoutMs: 1500,
    });
    const t = await team();
    const flood = await openTcp(server.port, 60);
    dribble(200, () => DRIBBLE);
    await until('the 30 beyond the cap are refused', () => open(flood) === 30);
    await sleep(100);
    expect(open(flood)).toBe(30);

    // Once a second old, the oldest unidentified connection makes room for a new one: the member's.
    const { c, ms, tries } = await legitimate('tcp', t);
    figures.push(
      `TCP, 60 slow connections, 30 unidentified at most: a member waited ${ms} ms (${tries} tries)`,
    );
    expect(ms).toBeLessThan(3000);

    // However many bytes they dribble, no slow connection outlives its deadline (1.5 s, plus slack).
    await until('every slow connection is closed', () => open(flood) === 0, 5000);
    for (const s of flood) expect((s.closedAt ?? 0) - s.openedAt).toBeLessThan(1500 + 1500);
    expect(flood.filter((s) => (s.closedAt ?? 0) - s.openedAt >= 1400).length).toBeGreaterThanOrEqual(28);
    // The member, bound, has no deadline.
    await c.sync();
    expect(c.isClosed).toBe(false);
    expect(logs.some((l) => l.level === 'warn' && l.msg.startsWith('cot: connections refused'))).toBe(true);
  }, 20_000);

  it('refuses more than its cap from one address, and a member from that address still gets in', async () => {
    const server = await start({
      maxUnidentified: 30,
      maxUnidentifiedPerAddress: 5,
      firstEventTimeoutMs: 1500,
    });
    const t = await team();
    const flood = await openTcp(server.port, 12);
    dribble(200, () => DRIBBLE);
    await until('the 7 beyond the address cap are refused', () => open(flood) === 5);
    const refused = flood.filter((s) => s.closedAt !== undefined);
    expect(refused).toHaveLength(7);
    for (const s of refused) expect((s.closedAt ?? 0) - s.openedAt).toBeLessThan(1000);
    const { ms, tries } = await legitimate('tcp', t);
    figures.push(
      `TCP, 12 slow connections from the member's own address, 5 at most: ${ms} ms (${tries} tries)`,
    );
    expect(ms).toBeLessThan(3000);
    await until('every slow connection is closed', () => open(flood) === 0, 5000);
  }, 20_000);

  it('holds the TLS listener to the same limits: handshakes and first events have deadlines', async () => {
    const server = await start({
      maxUnidentified: 30,
      maxUnidentifiedPerAddress: 1000,
      firstEventTimeoutMs: 1500,
      handshakeTimeoutMs: 1500,
    });
    const tlsPort = server.tlsPort ?? 0;
    const t = await team();
    // Half never finish their handshake; half finish it and then say nothing whole.
    const handshakes = await openTcp(tlsPort, 20);
    const sessions = await openTls(tlsPort, 20);
    const handshaking = new Set(handshakes);
    dribble(200, (s) => (handshaking.has(s) ? HELLO : DRIBBLE));
    await until('the 10 beyond the cap are refused', () => open(handshakes) + open(sessions) === 30);

    const { c, ms, tries } = await legitimate('tls', t);
    figures.push(`TLS, 20 stalled handshakes and 20 silent sessions, 30 at most: ${ms} ms (${tries} tries)`);
    expect(ms).toBeLessThan(3000);
    await until('every slow connection is closed', () => open(handshakes) + open(sessions) === 0, 6000);
    // A session's deadline runs from its handshake: 1.5 s + 1.5 s at most, plus slack.
    for (const s of [...handshakes, ...sessions]) expect((s.closedAt ?? 0) - s.openedAt).toBeLessThan(4500);
    await c.sync();
    expect(c.isClosed).toBe(false);
  }, 25_000);

  it('with the default limits, 300 idle connections from one address hold 20 slots and a member gets in', async () => {
    const server = await start({});
    const t = await team();
    const idleTcp = await openTcp(server.port, 150);
    const idleTls = await openTcp(server.tlsPort ?? 0, 150);
    const all = [...idleTcp, ...idleTls];
    dribble(1000, (s) => (idleTls.includes(s) ? HELLO : DRIBBLE));
    // One address: 20 unidentified connections across both listeners; the rest are refused (or made room for).
    await until('all but 20 are refused', () => open(all) === 20);
    expect(all.filter((s) => s.closedAt !== undefined)).toHaveLength(280);
    const tcp = await legitimate('tcp', t);
    const tls = await legitimate('tls', await team());
    figures.push(
      `defaults, 300 idle connections from one address: a member waited ${tcp.ms} ms (TCP, ${tcp.tries} tries), ${tls.ms} ms (TLS, ${tls.tries} tries)`,
    );
    expect(open(all)).toBeLessThanOrEqual(20);
    expect(tcp.ms).toBeLessThan(3000);
    expect(tls.ms).toBeLessThan(3000);
  }, 30_000);
});
