import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

/**
 * Idempotency-Key: what a phone's outbox sends again after a lost answer (no signal) is done once; the repeat
 * gets the first answer back.
 */
describe.each(engines)('Idempotency-Key on $name', (engine) => {
  const { h, d } = useHarness(engine, { resetBeforeEach: true });
  const post = (who: AddedMember, url: string, payload: object, key?: string) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${who.token}`, ...(key ? { 'idempotency-key': key } : {}) },
      payload,
    });
  const count = async (table: 'alerts' | 'positions' | 'messages') =>
    Number(
      (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(d.db)).rows[0]?.n,
    );
  const soses = async () =>
    (await d.db.selectFrom('alerts').select('id').where('type', '=', 'sos').execute()).length;

  it('raises an SOS sent twice with one key once, answering the repeat with the first answer', async () => {
    const scott = await h.addMember('Pack', 'SCOTT');
    const key = 'sos-7f3c1e2a-0001';
    const first = await post(scott, '/api/alerts/sos', { text: 'fell' }, key);
    expect(first.statusCode, first.body).toBe(201);
    const again = await post(scott, '/api/alerts/sos', { text: 'fell' }, key);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await soses()).toBe(1);
  });

  it('stores a position, a message and an acknowledgement once each, and a refusal is answered alike', async () => {
    const lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
    const scott = await h.addMember('Pack', 'SCOTT');
    const fix = { lat: 51.05, lon: -1.31, time: new Date().toISOString() };
    for (let i = 0; i < 3; i++)
      expect((await post(scott, '/api/positions', fix, 'fix-00000001')).statusCode).toBe(200);
    expect(await count('positions')).toBe(1);
    for (let i = 0; i < 2; i++)
      expect((await post(scott, '/api/messages', { text: 'at the bridge' }, 'msg-00000001')).statusCode).toBe(
        201,
      );
    expect(await count('messages')).toBe(1);
    const sos = (await post(scott, '/api/alerts/sos', {}, 'sos-00000002')).json();
    const ack = await post(lead, `/api/alerts/${sos.id}/ack`, {}, 'ack-00000001');
    expect((await post(lead, `/api/alerts/${sos.id}/ack`, {}, 'ack-00000001')).json()).toEqual(ack.json());
    const bad = await post(scott, '/api/positions', { lat: 95, lon: 0, time: fix.time }, 'fix-00000002');
    expect(bad.statusCode).toBe(400);
    const badAgain = await post(scott, '/api/positions', { lat: 95, lon: 0, time: fix.time }, 'fix-00000002');
    expect(badAgain.statusCode).toBe(400);
    expect(badAgain.json()).toEqual(bad.json());
    expect(await count('positions')).toBe(1);
  });

  it('keeps keys per member, refuses a key used for another request and a malformed key, changing nothing', async () => {
    const scott = await h.addMember('Pack', 'SCOTT');
    const stiles = await h.addMember('Pack', 'STILES');
    const fix = { lat: 51.05, lon: -1.31, time: new Date().toISOString() };
    expect((await post(scott, '/api/positions', fix, 'shared-key-1')).statusCode).toBe(200);
    expect((await post(stiles, '/api/positions', fix, 'shared-key-1')).statusCode).toBe(200);
    expect(await count('positions')).toBe(2);
    const reused = await post(scott, '/api/alerts/sos', {}, 'shared-key-1');
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.details.field).toBe('Idempotency-Key');
    for (const key of ['short', 'has space in it', 'x'.repeat(129), 'ünïcode-key']) {
      const res = await post(scott, '/api/alerts/sos', {}, key);
      expect(res.statusCode, key).toBe(400);
      expect(res.json().error.details.field).toBe('Idempotency-Key');
    }
    expect(await soses()).toBe(0);
  });
});
