import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningHowl, startHowl } from '../src/app/start.ts';
import type { AddedMember } from '../src/contract/members.ts';
import { loopbackConfig } from './support/server.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A real server with these limits (per second; bursts of 30 seconds' worth, at least 20). */
async function server(limits: Record<string, string>): Promise<RunningHowl> {
  const dir = mkdtempSync(join(tmpdir(), 'howl-limits-'));
  dirs.push(dir);
  return startHowl(loopbackConfig(dir, limits), { logger: false, webDir: null });
}

async function members(howl: RunningHowl, n: number): Promise<AddedMember[]> {
  const team = await howl.services.teams.resolveExisting(undefined);
  const out: AddedMember[] = [];
  for (let i = 0; i < n; i++)
    out.push(await howl.services.members.add({ kind: 'admin' }, team, { name: `M ${i}`, callsign: `M${i}` }));
  return out;
}

const report = (howl: RunningHowl, device: string, i: number) =>
  fetch(
    `http://127.0.0.1:${howl.ports.osmand}/?id=${device}&lat=${(46.9 + i * 1e-5).toFixed(6)}&lon=7.4&timestamp=${Date.now()}`,
  );

/**
 * Sends until the first 429 (at most 1,000 requests): how many were answered 200 before it, and the refusal.
 * However slow the machine, the burst passes and the limit then holds.
 */
async function untilRefused(
  send: (i: number) => Promise<Response>,
): Promise<{ accepted: number; refused: Response }> {
  for (let i = 0; i < 1000; i++) {
    const res = await send(i);
    if (res.status === 429) return { accepted: i, refused: res };
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  throw new Error('never refused');
}

async function stored(howl: RunningHowl, m: AddedMember): Promise<number> {
  const trails = await howl.services.positions.trails({ kind: 'admin' }, m.teamId);
  return trails[m.memberId]?.length ?? 0;
}

describe('rate limits on ingest', () => {
  let howl: RunningHowl;
  afterAll(async () => howl?.close());

  it('answers a device past its limit 429 with Retry-After, stores nothing of it, and leaves others alone', async () => {
    howl = await server({ HOWL_LIMIT_DEVICE_PER_S: '2', HOWL_LIMIT_ADDRESS_PER_S: 'off' });
    const [a, b] = await members(howl, 2);
    if (!a || !b) throw new Error('no members');
    // A burst of 60 (30 seconds' worth at 2 a second), then refused: the first 60 pass, and no more than
    // the two a second that came back meanwhile.
    const t0 = Date.now();
    const { accepted, refused } = await untilRefused((i) => report(howl, a.device, i));
    expect(accepted).toBeGreaterThanOrEqual(60);
    expect(accepted).toBeLessThanOrEqual(60 + Math.ceil(((Date.now() - t0) / 1000) * 2) + 1);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.text()).toMatch(/too many reports from this device/);
    expect(await stored(howl, a)).toBe(accepted);
    expect((await report(howl, b.device, 0)).status).toBe(200);
    // Two a second come back.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await report(howl, a.device, 61)).status).toBe(200);
  });
});

describe('rate limits per address', () => {
  let howl: RunningHowl;
  afterAll(async () => howl?.close());

  it('limits one address across devices, on OsmAnd and OwnTracks HTTP alike', async () => {
    howl = await server({ HOWL_LIMIT_DEVICE_PER_S: 'off', HOWL_LIMIT_ADDRESS_PER_S: '1' });
    const [a, b] = await members(howl, 2);
    if (!a || !b) throw new Error('no members');
    const t0 = Date.now();
    const { accepted } = await untilRefused((i) => report(howl, i % 2 ? a.device : b.device, i));
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThanOrEqual(30 + Math.ceil((Date.now() - t0) / 1000) + 1);
    const owntracks = await fetch(`${howl.localUrl}/api/owntracks`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${a.device}:${a.token}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ _type: 'location', lat: 46.9, lon: 7.4, tst: Math.floor(Date.now() / 1000) }),
    });
    expect(owntracks.status).toBe(429);
    expect(owntracks.headers.get('retry-after')).toBeTruthy();
    expect((await stored(howl, a)) + (await stored(howl, b))).toBe(accepted);
  });
});

describe('rate limits per token', () => {
  let howl: RunningHowl;
  afterAll(async () => howl?.close());

  it('answers a token past its limit 429 on the API, and not another member', async () => {
    howl = await server({ HOWL_LIMIT_TOKEN_PER_S: '1' });
    const [a, b] = await members(howl, 2);
    if (!a || !b) throw new Error('no members');
    const get = (m: AddedMember) =>
      fetch(`${howl.localUrl}/api/team`, { headers: { authorization: `Bearer ${m.token}` } });
    const t0 = Date.now();
    const { accepted, refused } = await untilRefused(() => get(a));
    expect(accepted).toBeGreaterThanOrEqual(30);
    expect(accepted).toBeLessThanOrEqual(30 + Math.ceil((Date.now() - t0) / 1000) + 1);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect((await get(b)).status).toBe(200);
  });
});

describe('the default limits and a team’s normal load', () => {
  let howl: RunningHowl;
  afterAll(async () => howl?.close());

  it('takes 100 members reporting once a second from one address, every report answered 200', async () => {
    howl = await server({});
    const team = await members(howl, 100);
    const statuses: number[] = [];
    for (let second = 0; second < 3; second++) {
      const t0 = Date.now();
      statuses.push(
        ...(await Promise.all(team.map((m) => report(howl, m.device, second).then((r) => r.status)))),
      );
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - t0))));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses).toHaveLength(300);
  }, 60_000);
});
