// The hot wash after an operation: a leader writes what went well and what to improve, adds corrective
// actions with an owner and a due date; members read them; an owner marks theirs done; open actions are
// listed until then. Bad input changes nothing.
import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

describe.each(engines)('the hot wash on $name', (engine) => {
  const { h } = useHarness(engine, { resetBeforeEach: true });
  const call = (method: 'GET' | 'PUT' | 'POST' | 'PATCH', url: string, who: AddedMember, payload?: object) =>
    h.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${who.token}` },
      ...(payload && { payload }),
    });

  async function pack() {
    const lead = await h.addMember('Hale pack', 'DEREK', { role: 'leader' });
    const scott = await h.addMember('Hale pack', 'SCOTT');
    const isaac = await h.addMember('Hale pack', 'ISAAC');
    const other = await h.addMember('Other pack', 'OTHER', { role: 'leader' });
    const op = (await call('POST', '/api/operations', lead, { name: 'Night trail' })).json();
    return { lead, scott, isaac, other, op: op.id as string };
  }

  it('is written by a leader, read by every member, and kept with its actions', async () => {
    const { lead, scott, op } = await pack();
    const empty = (await call('GET', `/api/operations/${op}/hotwash`, scott)).json();
    expect(empty).toEqual({
      operationId: op,
      wentWell: '',
      toImprove: '',
      updatedAt: null,
      updatedBy: null,
      actions: [],
    });
    const saved = await call('PUT', `/api/operations/${op}/hotwash`, lead, {
      wentWell: 'Everyone acknowledged within a minute.',
      toImprove: 'Radio batteries ran flat.',
    });
    expect(saved.statusCode).toBe(200);
    const added = await call('POST', `/api/operations/${op}/corrective-actions`, lead, {
      text: 'Buy spare batteries',
      ownerId: scott.memberId,
      dueOn: '2027-01-15',
    });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ owner: 'SCOTT', dueOn: '2027-01-15', doneAt: null });
    const read = (await call('GET', `/api/operations/${op}/hotwash`, scott)).json();
    expect(read).toMatchObject({
      wentWell: 'Everyone acknowledged within a minute.',
      toImprove: 'Radio batteries ran flat.',
      updatedBy: 'DEREK',
      actions: [{ text: 'Buy spare batteries', owner: 'SCOTT' }],
    });
    expect(read.updatedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    // Written again: replaced, not added.
    await call('PUT', `/api/operations/${op}/hotwash`, lead, { wentWell: 'Fast roll call.', toImprove: '' });
    expect((await call('GET', `/api/operations/${op}/hotwash`, scott)).json().wentWell).toBe(
      'Fast roll call.',
    );
  });

  it('lists open actions until their owner marks them done; only a leader changes the rest', async () => {
    const { lead, scott, isaac, op } = await pack();
    const add = async (text: string, owner: AddedMember) =>
      (
        await call('POST', `/api/operations/${op}/corrective-actions`, lead, {
          text,
          ownerId: owner.memberId,
        })
      ).json();
    const batteries = await add('Buy spare batteries', scott);
    await add('Practise the roll call', isaac);
    const open = async () =>
      (await call('GET', '/api/corrective-actions?open=true', scott))
        .json()
        .actions.map((a: { text: string }) => a.text);
    expect(await open()).toEqual(['Buy spare batteries', 'Practise the roll call']);
    // Isaac may not close Scott's action, nor change its text; Scott may mark it done, not rename it.
    expect(
      (await call('PATCH', `/api/corrective-actions/${batteries.id}`, isaac, { done: true })).statusCode,
    ).toBe(403);
    expect(
      (await call('PATCH', `/api/corrective-actions/${batteries.id}`, scott, { text: 'x' })).statusCode,
    ).toBe(403);
    const done = await call('PATCH', `/api/corrective-actions/${batteries.id}`, scott, { done: true });
    expect(done.statusCode).toBe(200);
    expect(done.json().doneAt).toMatch(/^\d{4}-/);
    expect(await open()).toEqual(['Practise the roll call']);
    const mine = (await call('GET', `/api/corrective-actions?ownerId=${scott.memberId}`, scott)).json()
      .actions;
    expect(mine).toHaveLength(1);
    // A leader reopens it and moves it to Isaac.
    const moved = await call('PATCH', `/api/corrective-actions/${batteries.id}`, lead, {
      done: false,
      ownerId: isaac.memberId,
    });
    expect(moved.json()).toMatchObject({ owner: 'ISAAC', doneAt: null });
  });

  it('refuses bad input with the field named, and changes nothing', async () => {
    const { lead, scott, other, op } = await pack();
    const before = (await call('GET', `/api/operations/${op}/hotwash`, lead)).json();
    const bad: Array<[string, string, object, string]> = [
      ['PUT', `/api/operations/${op}/hotwash`, { wentWell: 'x'.repeat(20_001), toImprove: '' }, 'wentWell'],
      ['PUT', `/api/operations/${op}/hotwash`, { wentWell: 'ok', toImprove: 'ok', extra: 1 }, ''],
      ['POST', `/api/operations/${op}/corrective-actions`, { text: '' }, 'text'],
      ['POST', `/api/operations/${op}/corrective-actions`, { text: 'x', dueOn: '15/01/2027' }, 'dueOn'],
      ['POST', `/api/operations/${op}/corrective-actions`, { text: 'x', ownerId: other.memberId }, 'ownerId'],
      ['POST', `/api/operations/${op}/corrective-actions`, { text: 'x', ownerId: 'nobody' }, 'ownerId'],
    ];
    for (const [method, url, body, field] of bad) {
      const res = await call(method as 'PUT', url, lead, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(res.json().error.message).toMatch(new RegExp(`^${field}`));
    }
    expect(
      (await call('PUT', `/api/operations/${op}/hotwash`, scott, { wentWell: 'x', toImprove: 'y' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await call('GET', '/api/operations/5b1d1f0e-8c5e-4c39-9a2f-1f6f4a1f2b3c/hotwash', lead)).statusCode,
    ).toBe(404);
    expect((await call('GET', `/api/operations/${op}/hotwash`, other)).statusCode).toBe(404);
    expect((await call('GET', '/api/corrective-actions?open=maybe', lead)).statusCode).toBe(400);
    expect((await call('GET', `/api/operations/${op}/hotwash`, lead)).json()).toEqual(before);
  });
});
