import type { LoginLink } from '../contract/auth.ts';
import type { Services } from './services.ts';

/**
 * First start: only when the database holds no team, create one with its leader and
 * return a single-use login link for them. Returns null when a team exists.
 */
export async function bootstrapFirstTeam(s: Services, teamName: string): Promise<LoginLink | null> {
  if ((await s.teams.count()) > 0) return null;
  const team = await s.teams.resolveForAdmin(undefined, teamName);
  await s.members.add({ kind: 'admin' }, team, { name: 'Team leader', callsign: 'LEADER', role: 'leader' });
  return s.sessions.createLoginLink(team);
}
