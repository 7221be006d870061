import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { bearer } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

/** A PATCH that names no field changes nothing and answers the thing as it is (it was a SQL syntax error). */
describe.each(engines)('an empty PATCH on $name', (engine) => {
  const { h } = useHarness(engine);
  let n = 0;

  const send = (method: 'POST' | 'PATCH' | 'GET', url: string, who: AddedMember, payload?: object) =>
    h.app.inject({ method, url, headers: bearer(who), ...(payload && { payload }) });
  const team = async () => {
    const name = `Patch ${++n}`;
    return {
      lead: await h.addMember(name, `LEAD${n}`, { role: 'leader' }),
      runner: await h.addMember(name, `RUN${n}`),
      tracker: await h.addMember(name, `TRK${n}`),
    };
  };

  it('leaves a drill as it was', async () => {
    const { lead, runner, tracker } = await team();
    const created = await send('POST', '/api/drills', lead, {
      name: 'Forest trail',
      runnerId: runner.memberId,
      trackerIds: [tracker.memberId],
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().operation.id;
    const before = (await send('GET', `/api/drills/${id}`, lead)).json();
    const res = await send('PATCH', `/api/drills/${id}`, lead, {});
    expect(res.statusCode).toBe(200);
    expect((await send('GET', `/api/drills/${id}`, lead)).json()).toEqual(before);
  });

  it('leaves a skill as it was', async () => {
    const { lead } = await team();
    const skill = (await send('POST', '/api/skills', lead, { name: 'First aid', validityMonths: 24 })).json();
    const res = await send('PATCH', `/api/skills/${skill.id}`, lead, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(skill);
  });

  it('leaves a training session as it was', async () => {
    const { lead } = await team();
    const created = await send('POST', '/api/training-sessions', lead, {
      title: 'Night navigation',
      startsAt: '2026-12-10T18:00:00.000Z',
      endsAt: '2026-12-10T21:00:00.000Z',
    });
    expect(created.statusCode).toBe(201);
    const res = await send('PATCH', `/api/training-sessions/${created.json().id}`, lead, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created.json());
  });

  it('leaves the team settings as they were', async () => {
    const { lead } = await team();
    const before = (await send('GET', '/api/team', lead)).json();
    const res = await send('PATCH', '/api/team', lead, {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(before);
  });
});
