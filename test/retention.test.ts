import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { countPositions, insertPositions } from '../src/store/positions.repo.ts';
import { bearer } from './fixtures/owntracks/support.ts';
import { engines } from './support/engines.ts';
import { useHarness } from './support/setup.ts';

const DAY_MS = 86_400_000;

/** Retention: a team's "keep positions for N days", and `howl prune` (its service and admin route). */
describe.each(engines)('retention on $name', (engine) => {
  const { h, d } = useHarness(engine);
  let n = 0;

  /** A team with a leader and a member who reported once a day for the last `days` days. */
  const team = async (days: number) => {
    const name = `Keep ${++n}`;
    const lead = await h.addMember(name, `LEAD${n}`, { role: 'leader' });
    const member = await h.addMember(name, `M${n}`);
    const now = Date.now();
    await insertPositions(
      d.db,
      Array.from({ length: days }, (_, i) => ({
        team_id: member.teamId,
        member_id: member.memberId,
        device_id: member.device,
        time: new Date(now - i * DAY_MS - 60_000),
        received_at: new Date(now - i * DAY_MS),
        lat: 46.9,
        lon: 7.4,
        source: 'osmand',
        mode: 'real' as const,
      })),
    );
    return { name, lead, member };
  };
  const patch = (who: AddedMember, payload: object) =>
    h.app.inject({ method: 'PATCH', url: '/api/team', headers: bearer(who), payload });

  it('keeps everything by default, and says so', async () => {
    const t = await team(40);
    expect((await patch(t.lead, {})).json().keepPositionsDays).toBeNull();
    const r = await h.services.retention.prune({ dryRun: false, team: t.name });
    expect(r.teams).toEqual([{ team: t.name, keepPositionsDays: null, before: null, positions: 0 }]);
    expect(await countPositions(d.db, t.member.teamId)).toBe(40);
  });

  it('counts in a dry run what would go and removes nothing, then removes exactly that', async () => {
    const t = await team(40);
    const other = await team(40); // keeps everything
    const set = await patch(t.lead, { keepPositionsDays: 30 });
    expect(set.statusCode).toBe(200);
    expect(set.json().keepPositionsDays).toBe(30);
    const dry = await h.services.retention.prune({ dryRun: true });
    const mine = dry.teams.find((x) => x.team === t.name);
    // Reports 30 … 39 days old are older than 30 days.
    expect(mine).toMatchObject({ keepPositionsDays: 30, positions: 10 });
    expect(Date.parse(mine?.before ?? '')).toBeCloseTo(Date.now() - 30 * DAY_MS, -4);
    expect(await countPositions(d.db, t.member.teamId)).toBe(40);
    const done = await h.services.retention.prune({ dryRun: false });
    expect(done.teams.find((x) => x.team === t.name)?.positions).toBe(10);
    expect(await countPositions(d.db, t.member.teamId)).toBe(30);
    expect(await countPositions(d.db, other.member.teamId)).toBe(40);
    // The newest position is untouched: the map still shows the member.
    const latest = await h.app.inject({
      method: 'GET',
      url: '/api/positions/latest',
      headers: bearer(t.lead),
    });
    expect(latest.json().features).toHaveLength(1);
  });

  it('prunes through the admin route, one team by name, and refuses an unknown one', async () => {
    const t = await team(10);
    await patch(t.lead, { keepPositionsDays: 1 });
    const admin = { authorization: 'Bearer test-admin-secret-0123456789abcdef' };
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/admin/prune',
      headers: admin,
      payload: { team: t.name },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ dryRun: false, teams: [{ team: t.name, positions: 9 }] });
    const unknown = await h.app.inject({
      method: 'POST',
      url: '/api/admin/prune',
      headers: admin,
      payload: { team: 'Nobody' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details).toMatchObject({ field: 'team' });
    const member = await h.app.inject({
      method: 'POST',
      url: '/api/admin/prune',
      headers: bearer(t.lead),
      payload: {},
    });
    expect([401, 403]).toContain(member.statusCode);
  });

  it('refuses a retention that is not a whole number of days from 1, changing nothing', async () => {
    const t = await team(3);
    await patch(t.lead, { keepPositionsDays: 7 });
    for (const bad of [0, -1, 1.5, 'x', 40_000, true]) {
      const res = await patch(t.lead, { keepPositionsDays: bad });
      expect(res.statusCode, String(bad)).toBe(400);
      expect(JSON.stringify(res.json())).toContain('keepPositionsDays');
    }
    expect((await patch(t.lead, {})).json().keepPositionsDays).toBe(7);
    const member = await patch(t.member, { keepPositionsDays: 1 });
    expect(member.statusCode).toBe(403);
    expect((await patch(t.lead, { keepPositionsDays: null })).json().keepPositionsDays).toBeNull();
  });
});
