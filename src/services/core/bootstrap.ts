import type { LoginLink } from '../../contract/sessions.ts';
import { listMembers } from '../../store/members.repo.ts';
import { listTeams } from '../../store/teams.repo.ts';
import type { Services } from '../services.ts';

/**
 * First start: when the database holds no team, create one with its leader; when its only
 * team has no leader yet (its first members were added from the CLI), give it one. Returns
 * a single-use login link for that leader, or null when there was nothing to do.
 */
export async function bootstrapFirstTeam(s: Services, teamName: string): Promise<LoginLink | null> {
  const teams = await listTeams(s.db);
  if (teams.length > 1) return null;
  const team = teams[0] ?? (await s.teams.resolveForAdmin(undefined, teamName));
  const members = await listMembers(s.db, team.id);
  if (members.some((m) => m.role === 'leader')) return null;
  const callsign = members.some((m) => m.callsign === 'LEADER') ? 'LEADER-1' : 'LEADER';
  await s.members.add({ kind: 'admin' }, team, { name: 'Team leader', callsign, role: 'leader' });
  return s.sessions.createLoginLink(team);
}
