import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { insertDevice } from '../src/store/devices.repo.ts';
import { appendEvent, eventsAfter, lastSeq, type NewEvent } from '../src/store/events.repo.ts';
import { insertMember, markMemberRemoved } from '../src/store/members.repo.ts';
import { PositionBatcher } from '../src/store/position-batcher.ts';
import {
  countPositions,
  insertPositions,
  latestPositions,
  latestTime,
  type NewPosition,
  positionsSince,
} from '../src/store/positions.repo.ts';
import type { TokenKind } from '../src/store/schema.ts';
import { insertTeam } from '../src/store/teams.repo.ts';
import {
  consumeToken,
  findLiveToken,
  insertToken,
  revokeMemberTokens,
  revokeToken,
} from '../src/store/tokens.repo.ts';
import { engines } from './support/engines.ts';
import { useDatabase } from './support/setup.ts';

const T0 = new Date('2026-06-01T12:00:00.000Z');
const at = (offsetS: number) => new Date(T0.getTime() + offsetS * 1000);

describe.each(engines)('store on $name', (engine) => {
  const d = useDatabase(engine, { resetBeforeEach: true });

  async function team(name: string): Promise<string> {
    return (await insertTeam(d.db, { id: randomUUID(), name })).id;
  }
  async function member(teamId: string, callsign: string): Promise<string> {
    const m = await insertMember(d.db, {
      id: randomUUID(),
      team_id: teamId,
      name: callsign,
      callsign,
      role: 'member',
    });
    await insertDevice(d.db, {
      id: `dev-${callsign}-${teamId.slice(0, 8)}`,
      member_id: m.id,
      team_id: teamId,
    });
    return m.id;
  }
  const event = (teamId: string, type = 'test.event', payload: unknown = { n: 1 }): NewEvent => ({
    teamId,
    type,
    mode: 'real',
    actorId: null,
    time: T0,
    payload,
  });
  const position = (teamId: string, memberId: string, time: Date, extra: Partial<NewPosition> = {}) =>
    ({
      team_id: teamId,
      member_id: memberId,
      device_id: 'field',
      time,
      received_at: new Date(),
      lat: 47.1,
      lon: 8.5,
      accuracy: 5,
      altitude: null,
      speed: null,
      bearing: null,
      battery: null,
      alarm: null,
      source: 'field',
      mode: 'real',
      ...extra,
    }) satisfies NewPosition;

  describe('events', () => {
    it('numbers a team’s events 1, 2, 3 … and remembers the last', async () => {
      const t = await team('A');
      expect(await lastSeq(d.db, t)).toBe(0);
      const seqs: number[] = [];
      for (let i = 0; i < 5; i++) seqs.push(await appendEvent(d.db, event(t, 'x', { i })));
      expect(seqs).toEqual([1, 2, 3, 4, 5]);
      expect(await lastSeq(d.db, t)).toBe(5);
    });

    it('keeps a separate sequence per team', async () => {
      const a = await team('A');
      const b = await team('B');
      expect(await appendEvent(d.db, event(a))).toBe(1);
      expect(await appendEvent(d.db, event(b))).toBe(1);
      expect(await appendEvent(d.db, event(a))).toBe(2);
      expect(await lastSeq(d.db, a)).toBe(2);
      expect(await lastSeq(d.db, b)).toBe(1);
    });

    it('leaves no gaps under concurrent appends in transactions', async () => {
      const a = await team('A');
      const b = await team('B');
      const n = 40;
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          d.db.transaction().execute(async (trx) => {
            const teamId = i % 2 === 0 ? a : b;
            const seq = await appendEvent(trx, event(teamId, 'x', { i }));
            // A second statement in the same transaction widens the window for interleaving.
            await trx.selectFrom('teams').select('id').where('id', '=', teamId).execute();
            return { teamId, seq };
          }),
        ),
      );
      for (const t of [a, b]) {
        const seqs = results
          .filter((r) => r.teamId === t)
          .map((r) => r.seq)
          .sort((x, y) => x - y);
        expect(seqs).toEqual(Array.from({ length: n / 2 }, (_, i) => i + 1));
        const stored = (await eventsAfter(d.db, t, 0)).map((e) => Number(e.seq));
        expect(stored).toEqual(seqs);
        expect(await lastSeq(d.db, t)).toBe(n / 2);
      }
    });

    it('reuses the number of a rolled-back append, so the log stays gap-free', async () => {
      const t = await team('A');
      await appendEvent(d.db, event(t));
      await expect(
        d.db.transaction().execute(async (trx) => {
          await appendEvent(trx, event(t));
          throw new Error('change failed');
        }),
      ).rejects.toThrow('change failed');
      expect(await lastSeq(d.db, t)).toBe(1);
      expect(await appendEvent(d.db, event(t))).toBe(2);
      expect((await eventsAfter(d.db, t, 0)).map((e) => Number(e.seq))).toEqual([1, 2]);
    });

    it('refuses an event for an unknown team and stores nothing', async () => {
      await expect(appendEvent(d.db, event(randomUUID()))).rejects.toThrow();
      expect(await d.db.selectFrom('events').selectAll().execute()).toHaveLength(0);
    });

    it('returns the events after a sequence number, in order, with type, mode and payload', async () => {
      const a = await team('A');
      const b = await team('B');
      for (let i = 1; i <= 5; i++) await appendEvent(d.db, event(a, `t${i}`, { i, nested: { ok: true } }));
      await appendEvent(d.db, event(b, 'other'));
      const after2 = await eventsAfter(d.db, a, 2);
      expect(after2.map((e) => Number(e.seq))).toEqual([3, 4, 5]);
      expect(after2.map((e) => e.type)).toEqual(['t3', 't4', 't5']);
      expect(after2.every((e) => e.team_id === a && e.mode === 'real')).toBe(true);
      // Parsed on both engines: nothing above the store checks for JSON text.
      expect(after2[0]?.payload).toEqual({ i: 3, nested: { ok: true } });
      expect(new Date(after2[0]?.time as Date).toISOString()).toBe(T0.toISOString());
      expect(await eventsAfter(d.db, a, 5)).toEqual([]);
      expect((await eventsAfter(d.db, a, 0, 2)).map((e) => Number(e.seq))).toEqual([1, 2]);
    });
  });

  describe('positions', () => {
    it('stores a batch in one call and counts per team', async () => {
      const a = await team('A');
      const b = await team('B');
      const ma = await member(a, 'ALFA');
      const mb = await member(b, 'BRAVO');
      await insertPositions(d.db, [position(a, ma, at(0)), position(a, ma, at(1)), position(b, mb, at(0))]);
      await insertPositions(d.db, []);
      expect(await countPositions(d.db)).toBe(3);
      expect(await countPositions(d.db, a)).toBe(2);
      expect(await countPositions(d.db, b)).toBe(1);
    });

    it('keeps every field of every row as given, awkward text and nulls included', async () => {
      const a = await team('A');
      const ma = await member(a, 'ALFA');
      const awkward = ['dev "1", {x}\\y', 'ünïcødé 🐺', 'NULL', ''];
      const rows = awkward.map((device, i) =>
        position(a, ma, at(i), {
          device_id: device,
          lat: 47.123456789 + i,
          lon: -8.987654321,
          accuracy: i === 0 ? null : 3.5,
          altitude: i === 1 ? -12.25 : null,
          speed: i === 2 ? 0 : null,
          bearing: 359.9,
          battery: i === 3 ? 100 : null,
          alarm: i === 0 ? 'sos' : null,
          source: 'cot',
          mode: i % 2 ? 'exercise' : 'real',
        }),
      );
      await insertPositions(d.db, rows);
      const stored = await d.db.selectFrom('positions').selectAll().orderBy('time').execute();
      expect(
        stored.map((r) => ({
          ...r,
          id: undefined,
          time: new Date(r.time),
          received_at: new Date(r.received_at),
        })),
      ).toEqual(rows.map((r) => ({ ...r, id: undefined })));
    });

    it('refuses a whole batch when one row is bad, storing none of it', async () => {
      const a = await team('A');
      const ma = await member(a, 'ALFA');
      await expect(
        insertPositions(d.db, [position(a, ma, at(0)), position(a, randomUUID(), at(1))]),
      ).rejects.toThrow();
      expect(await countPositions(d.db)).toBe(0);
    });

    it('picks the newest position by fix time, not by arrival', async () => {
      const a = await team('A');
      const ma = await member(a, 'ALFA');
      const mb = await member(a, 'BRAVO');
      await insertPositions(d.db, [position(a, ma, at(10), { lat: 10 })]);
      await insertPositions(d.db, [position(a, ma, at(20), { lat: 20 })]);
      // Received last, taken earliest (a phone that was offline): must not become the latest.
      await insertPositions(d.db, [position(a, ma, at(5), { lat: 5 })]);
      await insertPositions(d.db, [position(a, mb, at(1), { lat: 1 })]);
      const latest = await latestPositions(d.db, a);
      expect(latest).toHaveLength(2);
      const byMember = new Map(latest.map((p) => [p.member_id, p]));
      expect(byMember.get(ma)?.lat).toBe(20);
      expect(new Date(byMember.get(ma)?.time as Date).toISOString()).toBe(at(20).toISOString());
      expect(byMember.get(mb)?.lat).toBe(1);
      expect((await latestTime(d.db, ma))?.toISOString()).toBe(at(20).toISOString());
      expect(await latestTime(d.db, randomUUID())).toBeUndefined();
    });

    it('breaks a tie in fix time with the later stored row', async () => {
      const a = await team('A');
      const ma = await member(a, 'ALFA');
      await insertPositions(d.db, [position(a, ma, at(0), { lat: 1 })]);
      await insertPositions(d.db, [position(a, ma, at(0), { lat: 2 })]);
      expect((await latestPositions(d.db, a)).map((p) => p.lat)).toEqual([2]);
    });

    it('leaves removed members and other teams out of the latest positions', async () => {
      const a = await team('A');
      const b = await team('B');
      const ma = await member(a, 'ALFA');
      const gone = await member(a, 'GONE');
      const mb = await member(b, 'BRAVO');
      await insertPositions(d.db, [position(a, ma, at(0)), position(a, gone, at(1)), position(b, mb, at(2))]);
      await markMemberRemoved(d.db, gone, at(3));
      expect((await latestPositions(d.db, a)).map((p) => p.member_id)).toEqual([ma]);
      expect((await positionsSince(d.db, a, at(-10))).map((p) => p.member_id)).toEqual([ma]);
      // The removed member's history stays stored.
      expect(await countPositions(d.db, a)).toBe(2);
    });

    it('returns positions since a time in fix-time order, the bound included', async () => {
      const a = await team('A');
      const b = await team('B');
      const ma = await member(a, 'ALFA');
      const mb = await member(a, 'BRAVO');
      const other = await member(b, 'OTHER');
      await insertPositions(d.db, [
        position(a, ma, at(30), { lat: 30 }),
        position(a, mb, at(10), { lat: 10 }),
        position(a, ma, at(-5), { lat: -5 }),
        position(b, other, at(15), { lat: 15 }),
      ]);
      await insertPositions(d.db, [position(a, mb, at(20), { lat: 20 }), position(a, ma, at(0), { lat: 0 })]);
      const rows = await positionsSince(d.db, a, at(0));
      expect(rows.map((p) => p.lat)).toEqual([0, 10, 20, 30]);
      expect(rows.every((p) => p.team_id === a)).toBe(true);
      expect((await positionsSince(d.db, a, at(0), 2)).map((p) => p.lat)).toEqual([0, 10]);
      expect(await positionsSince(d.db, a, at(31))).toEqual([]);
    });
  });

  describe('tokens', () => {
    let teamId: string;
    let memberId: string;
    beforeEach(async () => {
      teamId = await team('A');
      memberId = await member(teamId, 'ALFA');
    });
    async function token(kind: TokenKind, expiresAt: Date | null = null): Promise<string> {
      const hash = `hash-${randomUUID()}`;
      await insertToken(d.db, {
        id: randomUUID(),
        token_hash: hash,
        member_id: memberId,
        team_id: teamId,
        kind,
        expires_at: expiresAt,
      });
      return hash;
    }

    it('finds a live token by its hash, and nothing for an unknown hash', async () => {
      const h = await token('device');
      expect((await findLiveToken(d.db, h, T0))?.member_id).toBe(memberId);
      expect(await findLiveToken(d.db, 'hash-unknown', T0)).toBeUndefined();
    });

    it('consumes a login token once only', async () => {
      const h = await token('login', at(3600));
      const first = await consumeToken(d.db, h, 'login', T0);
      expect(first?.member_id).toBe(memberId);
      expect(first?.used_at).not.toBeNull();
      expect(await consumeToken(d.db, h, 'login', at(1))).toBeUndefined();
      expect(await findLiveToken(d.db, h, at(1))).toBeUndefined();
    });

    it('lets only one of two concurrent consumers win', async () => {
      const h = await token('login', at(3600));
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          d.db.transaction().execute((trx) => consumeToken(trx, h, 'login', T0)),
        ),
      );
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    });

    it('refuses to consume a token of another kind, and leaves it usable', async () => {
      const device = await token('device');
      const session = await token('session', at(3600));
      expect(await consumeToken(d.db, device, 'login', T0)).toBeUndefined();
      expect(await consumeToken(d.db, session, 'login', T0)).toBeUndefined();
      expect(await findLiveToken(d.db, device, T0)).toBeDefined();
      expect(await findLiveToken(d.db, session, T0)).toBeDefined();
      const login = await token('login', at(3600));
      expect(await consumeToken(d.db, login, 'session', T0)).toBeUndefined();
      expect(await consumeToken(d.db, login, 'login', T0)).toBeDefined();
    });

    it('treats a token as dead from its expiry instant on', async () => {
      const h = await token('session', at(60));
      expect(await findLiveToken(d.db, h, at(59))).toBeDefined();
      expect(await findLiveToken(d.db, h, at(60))).toBeUndefined();
      expect(await findLiveToken(d.db, h, at(61))).toBeUndefined();
      const login = await token('login', at(60));
      expect(await consumeToken(d.db, login, 'login', at(60))).toBeUndefined();
    });

    it('never expires a token without an expiry', async () => {
      const h = await token('device', null);
      expect(await findLiveToken(d.db, h, new Date('2100-01-01T00:00:00Z'))).toBeDefined();
    });

    it('makes a revoked token dead, also for consumption', async () => {
      const h = await token('device');
      expect(await revokeToken(d.db, h, 'session', T0)).toBeUndefined(); // wrong kind: untouched
      expect(await findLiveToken(d.db, h, T0)).toBeDefined();
      expect(await revokeToken(d.db, h, 'device', T0)).toEqual(expect.any(String));
      expect(await findLiveToken(d.db, h, T0)).toBeUndefined();
      const login = await token('login', at(3600));
      await revokeToken(d.db, login, 'login', T0);
      expect(await consumeToken(d.db, login, 'login', T0)).toBeUndefined();
    });

    it('revokes only the member’s tokens of the given kinds, each once', async () => {
      const device = await token('device');
      const session = await token('session', at(3600));
      const login = await token('login', at(3600));
      const otherMember = await member(teamId, 'BRAVO');
      const otherHash = 'hash-other';
      await insertToken(d.db, {
        id: randomUUID(),
        token_hash: otherHash,
        member_id: otherMember,
        team_id: teamId,
        kind: 'device',
        expires_at: null,
      });
      const ids = await revokeMemberTokens(d.db, memberId, ['device', 'session'], T0);
      expect(ids).toHaveLength(2);
      expect(await findLiveToken(d.db, device, T0)).toBeUndefined();
      expect(await findLiveToken(d.db, session, T0)).toBeUndefined();
      expect(await findLiveToken(d.db, login, T0)).toBeDefined();
      expect(await findLiveToken(d.db, otherHash, T0)).toBeDefined();
      expect(await revokeMemberTokens(d.db, memberId, ['device', 'session'], T0)).toEqual([]);
    });

    it('refuses a second token with the same hash', async () => {
      const h = await token('device');
      await expect(
        insertToken(d.db, {
          id: randomUUID(),
          token_hash: h,
          member_id: memberId,
          team_id: teamId,
          kind: 'device',
          expires_at: null,
        }),
      ).rejects.toThrow();
      expect(await d.db.selectFrom('tokens').selectAll().execute()).toHaveLength(1);
    });
  });

  describe('PositionBatcher', () => {
    let teamId: string;
    let memberId: string;
    beforeEach(async () => {
      teamId = await team('A');
      memberId = await member(teamId, 'ALFA');
    });
    const row = (i: number) => position(teamId, memberId, at(i), { device_id: `dev-${i}` });
    const stored = async (i: number) =>
      (await d.db.selectFrom('positions').select('id').where('device_id', '=', `dev-${i}`).execute()).length;

    it('resolves each write only once its row is stored', async () => {
      const b = new PositionBatcher(d.db);
      const n = 300;
      const seen = await Promise.all(
        Array.from({ length: n }, (_, i) => b.write(row(i)).then(() => stored(i))),
      );
      expect(seen).toEqual(Array(n).fill(1));
      expect(await countPositions(d.db)).toBe(n);
      expect(b.stats.positions).toBe(n);
      await b.close();
    });

    it('groups writes that arrive while a batch commits into larger batches', async () => {
      const b = new PositionBatcher(d.db);
      const writes: Promise<void>[] = [];
      // Waves arriving while earlier batches commit: the batch size follows the load.
      for (let wave = 0; wave < 5; wave++) {
        for (let i = 0; i < 100; i++) writes.push(b.write(row(wave * 100 + i)));
        await new Promise<void>((r) => setImmediate(r));
      }
      await Promise.all(writes);
      expect(await countPositions(d.db)).toBe(500);
      expect(b.stats.positions).toBe(500);
      expect(b.stats.largestBatch).toBeGreaterThan(1);
      expect(b.stats.batches).toBeLessThan(500);
      await b.close();
    });

    it('commits several batches at once when allowed, each write resolved once stored, and closes after all', async () => {
      const b = new PositionBatcher(d.db, 40, 50_000, 4);
      const writes: Promise<number>[] = [];
      for (let wave = 0; wave < 6; wave++) {
        for (let i = 0; i < 50; i++) {
          const k = wave * 50 + i;
          writes.push(b.write(row(k)).then(() => stored(k)));
        }
        await new Promise<void>((r) => setImmediate(r));
      }
      const closing = b.close();
      expect(await Promise.all(writes)).toEqual(Array(300).fill(1));
      await closing;
      expect(await countPositions(d.db)).toBe(300);
      expect(b.stats.positions).toBe(300);
      expect(b.stats.largestBatch).toBeLessThanOrEqual(40);
      await expect(b.write(row(999))).rejects.toThrow('closed');
    });

    it('never makes a batch larger than its limit', async () => {
      const b = new PositionBatcher(d.db, 50);
      await Promise.all(Array.from({ length: 175 }, (_, i) => b.write(row(i))));
      expect(b.stats).toEqual({ batches: 4, positions: 175, largestBatch: 50, refused: 0 });
      expect(await countPositions(d.db)).toBe(175);
      await b.close();
    });

    it('drains everything accepted before close() returns, then refuses writes', async () => {
      const b = new PositionBatcher(d.db, 40);
      let resolved = 0;
      const writes = Array.from({ length: 150 }, (_, i) => b.write(row(i)).then(() => resolved++));
      await b.close();
      expect(resolved).toBe(150);
      expect(await countPositions(d.db)).toBe(150);
      await Promise.all(writes);
      await expect(b.write(row(999))).rejects.toThrow(/closed/);
      expect(await countPositions(d.db)).toBe(150);
    });

    it('rejects the writers of a failed batch and keeps working afterwards', async () => {
      const b = new PositionBatcher(d.db);
      const bad = b.write(position(teamId, randomUUID(), at(0)));
      await expect(bad).rejects.toThrow();
      expect(await countPositions(d.db)).toBe(0);
      await b.write(row(1));
      expect(await countPositions(d.db)).toBe(1);
      expect(b.stats.batches).toBe(1);
      await b.close();
    });

    it('stores the good rows of a batch that holds a bad one, rejecting only the bad writer', async () => {
      const b = new PositionBatcher(d.db);
      const good = [0, 1, 2].map((i) => b.write(row(i)));
      const bad = b.write(position(teamId, randomUUID(), at(9)));
      const more = [3, 4].map((i) => b.write(row(i)));
      await expect(bad).rejects.toThrow();
      await Promise.all([...good, ...more]);
      expect(await countPositions(d.db)).toBe(5);
      await b.close();
    });

    it('closes at once when idle', async () => {
      const b = new PositionBatcher(d.db);
      await b.close();
      await expect(b.write(row(0))).rejects.toThrow(/closed/);
      expect(await countPositions(d.db)).toBe(0);
    });
  });
});
