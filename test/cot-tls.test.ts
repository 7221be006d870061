import { mkdtempSync, rmSync } from 'node:fs';
import { type Socket, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import selfsigned from 'selfsigned';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CotServer, startCotServer } from '../src/gateways/cot/server.ts';
import { loadOrCreateTls } from '../src/server/tls.ts';
import { ATAK_SA_GEMINI, retime, withUid } from './fixtures/cot/captures.ts';
import { TakClient } from './fixtures/cot/tak-client.ts';
import { engines } from './support/engines.ts';
import { recordingLogger } from './support/recording-logger.ts';
import { useHarness } from './support/setup.ts';

interface Pems {
  cert: string;
  key: string;
}

/** A CA that signs client certificates, and one of its clients. */
async function makeCa(name: string): Promise<Pems> {
  const ca = await selfsigned.generate([{ name: 'commonName', value: name }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true },
    ],
  });
  return { cert: ca.cert, key: ca.private };
}

async function clientCert(ca: Pems, cn: string): Promise<Pems> {
  const c = await selfsigned.generate([{ name: 'commonName', value: cn }], {
    keyType: 'ec',
    algorithm: 'sha256',
    ca,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
  });
  return { cert: c.cert, key: c.private };
}

// The fixture client wraps any connected socket; a TLS socket is one.
const wrap = TakClient as unknown as new (s: Socket) => TakClient;

describe.each(engines)('CoT (TAK) gateway over TLS on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let cot: CotServer;
  let dir: string;
  let server: Pems;
  let ca: Pems;
  let n = 0;
  const { logger, logs } = recordingLogger();
  const clients: TakClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'howl-cot-tls-'));
    // The certificate Howl generates for HTTPS, as the TLS listener uses it by default.
    const files = await loadOrCreateTls({ dataDir: dir, hosts: ['127.0.0.1'] });
    server = { cert: files.cert, key: files.key };
    ca = await makeCa('Howl test CA');
    cot = await startCotServer(h.services, {
      port: 0,
      host: '127.0.0.1',
      logger,
      tls: { port: 0, cert: server.cert, key: server.key, ca: ca.cert },
      handshakeTimeoutMs: 2000,
    });
  }, 60_000);
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await cot.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const connectTls = (o: ConnectionOptions = {}) =>
    new Promise<TakClient>((resolve, reject) => {
      const s = tlsConnect(
        { port: cot.tlsPort ?? 0, host: '127.0.0.1', ca: server.cert, servername: 'localhost', ...o },
        () => {
          const c = new wrap(s);
          clients.push(c);
          resolve(c);
        },
      );
      s.once('error', reject);
    });
  const team = () => `TLS team ${++n}`;
  const takMember = (t: string) =>
    h.addMember(t, `TLS${++n}`, { device: `ANDROID-tls-${engine.name}-${++n}` });
  const rowsOf = (memberId: string) =>
    d.db.selectFrom('positions').selectAll().where('member_id', '=', memberId).execute();
  const sa = (uid: string, lat = 46.55, lon = 7.98) =>
    retime(
      withUid(ATAK_SA_GEMINI, uid)
        .replace(/lat="[^"]*"/, `lat="${lat}"`)
        .replace(/lon="[^"]*"/, `lon="${lon}"`),
    );

  it('listens on its own port with the self-signed certificate, and logs it', async () => {
    expect(cot.tlsPort).toBeGreaterThan(0);
    expect(cot.tlsPort).not.toBe(cot.port);
    expect(
      logs.some((l) => l.msg === 'cot: TAK gateway listening over TLS' && l.obj.port === cot.tlsPort),
    ).toBe(true);
    const c = await connectTls();
    const peer = (c.socket as unknown as import('node:tls').TLSSocket).getPeerCertificate();
    expect(peer.raw.equals(new (await import('node:crypto')).X509Certificate(server.cert).raw)).toBe(true);
  });

  it('stores an SA event from a registered uid, as over TCP', async () => {
    const m = await takMember(team());
    const c = await connectTls();
    c.send(sa(m.device));
    await c.sync();
    expect(await rowsOf(m.memberId)).toEqual([
      expect.objectContaining({ device_id: m.device, source: 'cot', lat: 46.55, mode: 'real' }),
    ]);
  });

  it('binds a client certificate from the CA by its CN, before any event, and adopts its SA uid', async () => {
    const t = team();
    const m = await takMember(t);
    const other = await takMember(t);
    const cert = await clientCert(ca, m.device);
    const c = await connectTls({ cert: cert.cert, key: cert.key });
    // Bound on connect: the team picture comes without the client saying who it is.
    await h.services.positions.reportFromDevice({
      deviceId: other.device,
      time: new Date(),
      lat: 46.6,
      lon: 7.9,
      source: 'osmand',
    });
    await c.waitFor((r) => r.attrs.type === 'a-f-G-U-C' && r.xml.includes(other.callsign), {
      what: "the other member's position",
    });
    // ATAK's own uid differs from the certificate's CN: its SA is still the member's position.
    const own = `ANDROID-own-${engine.name}-${++n}`;
    c.send(sa(own, 46.5, 7.5));
    await c.sync();
    expect(await rowsOf(m.memberId)).toEqual([
      expect.objectContaining({ device_id: m.device, lat: 46.5, lon: 7.5 }),
    ]);
    expect(cot.held().some((e) => e.uid === own)).toBe(false);
  });

  it('keeps a client with no certificate working through uid binding', async () => {
    const m = await takMember(team());
    const c = await connectTls();
    c.send(sa(m.device, 46.4));
    await c.sync();
    expect(await rowsOf(m.memberId)).toHaveLength(1);
  });

  it('refuses a client certificate another CA signed: nothing it sends is read', async () => {
    const m = await takMember(team());
    const rogue = await clientCert(await makeCa('Rogue CA'), m.device);
    const outcome = await connectTls({ cert: rogue.cert, key: rogue.key }).then(
      async (c) => {
        c.send(sa(m.device));
        await c.closed;
        return 'closed';
      },
      () => 'handshake failed',
    );
    expect(['closed', 'handshake failed']).toContain(outcome);
    await new Promise((r) => setTimeout(r, 100));
    expect(await rowsOf(m.memberId)).toEqual([]);
    expect(logs.some((l) => l.msg === 'cot: client certificate refused')).toBe(true);
  });

  it('closes cleanly on garbage and truncated input, and keeps serving', async () => {
    // Not TLS at all.
    const plain = tcpConnect({ port: cot.tlsPort ?? 0, host: '127.0.0.1' });
    plain.on('error', () => undefined);
    await new Promise<void>((r) => plain.once('connect', () => r()));
    plain.write('<event uid="x" type="a-f-G"><point lat="1" lon="2"/></event>\n');
    await new Promise<void>((r) => plain.once('close', () => r()));
    // A truncated handshake: the first bytes of a ClientHello, then silence.
    const cut = tcpConnect({ port: cot.tlsPort ?? 0, host: '127.0.0.1' });
    cut.on('error', () => undefined);
    await new Promise<void>((r) => cut.once('connect', () => r()));
    cut.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00]));
    await new Promise<void>((r) => cut.once('close', () => r()));
    // Over TLS: garbage, then half an event, then the end.
    const m = await takMember(team());
    const c = await connectTls();
    c.send(Buffer.from([0x00, 0xff, 0xfe, 0x3c, 0x3c]));
    c.send('<event version="2.0" uid="half" type="a-f-G-U-C"><point lat="4');
    c.socket.end();
    await c.closed;
    expect(await d.db.selectFrom('positions').select('id').where('device_id', '=', 'half').execute()).toEqual(
      [],
    );
    // Still serving.
    const next = await connectTls();
    next.send(sa(m.device));
    await next.sync();
    expect(await rowsOf(m.memberId)).toHaveLength(1);
  }, 20_000);
});
