import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHowl } from '../src/app/start.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { type AprsGateway, startAprsGateway } from '../src/gateways/aprs/gateway.ts';
import type { AprsLogger } from '../src/gateways/aprs/logger.ts';
import { VERSION } from '../src/server/paths.ts';
import { MALFORMED, POSITIONS } from './fixtures/aprs/captures.ts';
import { AprsIsStandIn } from './support/aprs-is-server.ts';
import { engines } from './support/engines.ts';
import { loopbackConfig } from './support/server.ts';
import { useHarness } from './support/setup.ts';

const TEAM = 'Radio team';
const line = (name: string) => {
  const f = POSITIONS.find((p) => p.name === name);
  if (!f) throw new Error(`no fixture ${name}`);
  return f;
};
// Ham::APRS::FAP's lines (t/21, t/22, t/23), one per format, from the callsigns the members register.
const UNCOMPRESSED = line('moving target with telemetry in the comment'); // OH7FDN
const COMPRESSED = line('compressed with course and speed'); // OH2LCQ-10
const MIC_E = line('Mic-E, moving, with altitude'); // OH7LZB-2
const UNREGISTERED = line('northeast with PHG'); // OH2RDP-1
const TIMESTAMPED = line('DHM timestamp, course/speed and altitude'); // YB1RUS-9

/** Keeps what the gateway logs, to check that bad lines are reported. */
function recordingLogger(): AprsLogger & { lines: Array<{ msg: string; obj: object }> } {
  const lines: Array<{ msg: string; obj: object }> = [];
  const keep = (obj: object, msg: string) => void lines.push({ obj, msg });
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

describe.each(engines)('APRS-IS gateway against a local APRS-IS server on $name', (engine) => {
  const { h, d } = useHarness(engine);
  const server = new AprsIsStandIn();
  const log = recordingLogger();
  let gateway: AprsGateway;
  let fdn: AddedMember;

  const rowsOf = (device: string) =>
    d.db.selectFrom('positions').selectAll().where('device_id', '=', device).orderBy('id').execute();
  const total = async () =>
    Number((await sql<{ n: number }>`select count(*)::int as n from positions`.execute(d.db)).rows[0]?.n);
  const filters = () => server.received.filter((l) => l.startsWith('#filter '));

  beforeAll(async () => {
    const port = await server.listen();
    fdn = await h.addMember(TEAM, 'FDN', { device: 'OH7FDN' });
    // Registered in lower case: APRS-IS sends callsigns in capitals, and still finds it.
    await h.addMember(TEAM, 'LCQ', { device: 'oh2lcq-10' });
    await h.addMember(TEAM, 'LZB', { device: 'OH7LZB-2' });
    // A device id that is no callsign is never named in the filter.
    await h.addMember(TEAM, 'PHONE', { device: 'traccar-phone-1' });
    gateway = await startAprsGateway(h.services, {
      server: `127.0.0.1:${port}`,
      callsign: 'N0CALL-10',
      version: VERSION,
      logger: log,
      minBackoffMs: 20,
      maxBackoffMs: 200,
      refreshMs: 600_000,
    });
    await gateway.ready();
    await waitFor(() => expect(server.logins).toBe(1));
  });
  afterAll(async () => {
    await gateway?.close();
    await server.close();
  });

  it('logs in receive-only (pass -1) with a filter naming the registered callsigns', () => {
    expect(server.received[0]).toBe(
      `user N0CALL-10 pass -1 vers Howl ${VERSION} filter b/OH2LCQ-10/OH7FDN/OH7LZB-2`,
    );
  });

  it('stores uncompressed, compressed and Mic-E positions of registered callsigns, and nothing else', async () => {
    const before = await total();
    server.send(
      UNREGISTERED.line,
      'OH7FDN>APZMDR,TCPIP*,qAC,T2TEST:>on my way',
      'OH7AA-1>APRS,WIDE1-1,WIDE2-2,qAo,OH7AA::OH7FDN   :Testing, 1 2 3{1',
      '# aprsc 2.1.19-g730c5c0 4 Dec 2026 10:31:00 GMT T2TEST 127.0.0.1:14580',
      UNCOMPRESSED.line,
      COMPRESSED.line,
      MIC_E.line,
    );
    await waitFor(() => expect(gateway.counts.stored).toBe(3));
    expect(await total()).toBe(before + 3);
    expect(await rowsOf('OH2RDP-1')).toEqual([]);
    expect(gateway.counts).toMatchObject({ unregistered: 1, ignored: 2, malformed: 0 });

    const [uncompressed] = await rowsOf('OH7FDN');
    expect(uncompressed).toMatchObject({ source: 'aprs', bearing: 36, member_id: fdn.memberId });
    expect(uncompressed?.lat).toBeCloseTo(UNCOMPRESSED.lat, 4);
    expect(uncompressed?.altitude).toBeCloseTo(141.732, 2);
    expect(uncompressed?.speed).toBeCloseTo(18.52 / 3.6, 3);
    // No timestamp in the packet: stored at the time of receipt.
    expect(Math.abs(new Date(uncompressed?.time ?? 0).getTime() - Date.now())).toBeLessThan(60_000);
    const [compressed] = await rowsOf('oh2lcq-10');
    expect(compressed?.lon).toBeCloseTo(COMPRESSED.lon, 4);
    const [micE] = await rowsOf('OH7LZB-2');
    expect(micE).toMatchObject({ bearing: 35, altitude: 6 });
    expect(micE?.lat).toBeCloseTo(MIC_E.lat, 4);
  });

  it('logs and drops malformed lines and a time in the future, and keeps the connection', async () => {
    const before = await total();
    const counts = { ...gateway.counts };
    const future = new Date(Date.now() + 3 * 3600_000);
    const stamp = [future.getUTCDate(), future.getUTCHours(), future.getUTCMinutes()]
      .map((n) => String(n).padStart(2, '0'))
      .join('');
    server.send(
      ...MALFORMED.map((m) => m.line),
      `OH7FDN>APZMDR,TCPIP*,qAC,T2TEST:@${stamp}z6253.52N/02739.47E>`,
      '\x00\xff\xfe binary junk',
      UNCOMPRESSED.line,
    );
    await waitFor(() => expect(gateway.counts.stored).toBe(counts.stored + 1));
    expect(await total()).toBe(before + 1);
    // The empty line is no line at all.
    expect(gateway.counts.malformed).toBe(counts.malformed + MALFORMED.length - 1 + 1);
    expect(gateway.counts.refused).toBe(counts.refused + 1);
    expect(log.lines.filter((l) => l.msg === 'aprs: malformed line dropped').length).toBe(MALFORMED.length);
    expect(log.lines.some((l) => l.msg === 'aprs: position refused')).toBe(true);
    expect(server.logins).toBe(1);
    expect(server.connected).toBe(1);
  });

  it('sends the server a new filter as members and their devices change', async () => {
    const yb = await h.addMember(TEAM, 'YB', { device: 'YB1RUS-9' });
    await waitFor(() => expect(filters().at(-1)).toBe('#filter b/OH2LCQ-10/OH7FDN/OH7LZB-2/YB1RUS-9'));
    server.send(TIMESTAMPED.line);
    await waitFor(async () => expect(await rowsOf('YB1RUS-9')).toHaveLength(1));
    const [row] = await rowsOf('YB1RUS-9');
    // The packet's own day-hour-minute time, the latest 18th at 00:00 UTC not in the future.
    expect(new Date(row?.time ?? 0).toISOString()).toMatch(/-18T00:00:00\.000Z$/);
    expect(row?.member_id).toBe(yb.memberId);

    const teamId = (await h.services.teams.resolveExisting(TEAM)).id;
    await h.services.members.remove({ kind: 'admin' }, teamId, fdn.memberId);
    await waitFor(() => expect(filters().at(-1)).toBe('#filter b/OH2LCQ-10/OH7LZB-2/YB1RUS-9'));
    const unregistered = gateway.counts.unregistered;
    const stored = (await rowsOf('OH7FDN')).length;
    server.send(UNCOMPRESSED.line);
    await waitFor(() => expect(gateway.counts.unregistered).toBe(unregistered + 1));
    expect(await rowsOf('OH7FDN')).toHaveLength(stored);
  });

  it('reconnects after the server drops it, logs in again with the current filter, and goes on', async () => {
    server.dropClients();
    await waitFor(() => expect(server.logins).toBe(2));
    expect(server.received.filter((l) => l.startsWith('user ')).at(-1)).toBe(
      `user N0CALL-10 pass -1 vers Howl ${VERSION} filter b/OH2LCQ-10/OH7LZB-2/YB1RUS-9`,
    );
    const before = (await rowsOf('OH7LZB-2')).length;
    server.send(MIC_E.line);
    await waitFor(async () => expect(await rowsOf('OH7LZB-2')).toHaveLength(before + 1));
  });

  it('never sent the server anything but its logins and filters', () => {
    expect(server.received.every((l) => l.startsWith('user ') || l.startsWith('#filter '))).toBe(true);
  });
});

describe('APRS-IS in a running Howl', () => {
  it('connects when HOWL_APRS_IS and HOWL_APRS_CALLSIGN are set, and disconnects on shutdown', async () => {
    const server = new AprsIsStandIn();
    const port = await server.listen();
    const dir = mkdtempSync(join(tmpdir(), 'howl-aprs-'));
    try {
      const howl = await startHowl(
        loopbackConfig(dir, { HOWL_APRS_IS: `127.0.0.1:${port}`, HOWL_APRS_CALLSIGN: 'n0call-10' }),
        { logger: false, webDir: null },
      );
      await waitFor(() => expect(server.logins).toBe(1));
      // No member has a callsign yet: the filter names Howl's own, which never sends.
      expect(server.received[0]).toBe(`user N0CALL-10 pass -1 vers Howl ${VERSION} filter b/N0CALL-10`);
      await howl.close();
      await waitFor(() => expect(server.connected).toBe(0));
      expect(server.logins).toBe(1);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
