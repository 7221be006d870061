import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { HowlError, notFound } from '../../contract/errors.ts';
import type { Team, TeamSettingsBody } from '../../contract/members.ts';
import type { DB } from '../../store/schema.ts';
import {
  findTeamByName,
  getTeam,
  insertTeam,
  listTeams,
  type TeamRow,
  updateTeam,
} from '../../store/teams.repo.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { logEvent, publishEvents } from '../core/event-log.ts';
import type { LiveBus } from '../live/live-bus.ts';
import { toTeam } from './team-mappers.ts';

const nameTaken = (name: string) =>
  new HowlError(409, 'conflict', `name: a team named "${name}" exists`, { field: 'name' });

/** A unique-constraint violation (PostgreSQL 23505). */
const isUniqueViolation = (e: unknown) => (e as { code?: unknown } | null)?.code === '23505';

export class TeamsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly bus: LiveBus,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(auth: Auth, teamId: string): Promise<Team> {
    requireMember(auth, teamId);
    const t = await getTeam(this.db, teamId);
    if (!t) throw notFound('team');
    return toTeam(t);
  }

  async update(auth: Auth, teamId: string, patch: TeamSettingsBody): Promise<Team> {
    requireLeader(auth, teamId);
    const actor = auth.kind === 'member' ? auth.memberId : null;
    // Nothing to change: an UPDATE with an empty SET is invalid SQL, and there is no event to log.
    if (Object.values(patch).every((v) => v === undefined)) return this.get(auth, teamId);
    const { team, event } = await this.db
      .transaction()
      .execute(async (trx) => {
        if (patch.name) {
          const other = await findTeamByName(trx, patch.name);
          if (other && other.id !== teamId) throw nameTaken(patch.name);
        }
        const row = await updateTeam(trx, teamId, {
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.base !== undefined && {
            base_lat: patch.base?.lat ?? null,
            base_lon: patch.base?.lon ?? null,
          }),
          ...(patch.staleSeconds !== undefined && { stale_seconds: patch.staleSeconds }),
          ...(patch.separationM !== undefined && { separation_m: patch.separationM }),
          ...(patch.alertResendS !== undefined && { alert_resend_s: patch.alertResendS }),
          ...(patch.sosCountdownS !== undefined && { sos_countdown_s: patch.sosCountdownS }),
          ...(patch.rollCallDeadlineS !== undefined && { roll_call_deadline_s: patch.rollCallDeadlineS }),
          ...(patch.rollCallRepeatS !== undefined && { roll_call_repeat_s: patch.rollCallRepeatS }),
          ...(patch.manDownMinutes !== undefined && { man_down_minutes: patch.manDownMinutes }),
          ...(patch.clock !== undefined && { clock: patch.clock }),
          ...(patch.keepPositionsDays !== undefined && { keep_positions_days: patch.keepPositionsDays }),
        });
        const team = toTeam(row);
        return {
          team,
          event: await logEvent(trx, teamId, { type: 'team.updated', team }, actor, this.now()),
        };
      })
      .catch((e: unknown) => {
        if (e instanceof Error && /no result/i.test(e.message)) throw notFound('team');
        // Another team took the name between the check and the write (PostgreSQL unique violation).
        if (isUniqueViolation(e)) throw nameTaken(patch.name ?? '');
        throw e;
      });
    publishEvents(this.bus, teamId, [event]);
    return team;
  }

  /**
   * The team a CLI command means: the named one (created if new); else the only one; else,
   * with no team yet, a new one named `fallbackName`. Several teams and no name is an error.
   */
  async resolveForAdmin(name: string | undefined, fallbackName: string): Promise<TeamRow> {
    const teams = await listTeams(this.db);
    if (teams.length === 0) return this.create(name ?? fallbackName);
    if (name && !(await findTeamByName(this.db, name))) return this.create(name);
    return this.pick(teams, name);
  }

  /** A new team; when a concurrent call created it first, that one. */
  private async create(name: string): Promise<TeamRow> {
    try {
      return await insertTeam(this.db, { id: randomUUID(), name });
    } catch (e) {
      const existing = isUniqueViolation(e) ? await findTeamByName(this.db, name) : undefined;
      if (existing) return existing;
      throw e;
    }
  }

  /** The named team, or the only one; never creates one. */
  async resolveExisting(name: string | undefined): Promise<TeamRow> {
    const teams = await listTeams(this.db);
    if (teams.length === 0)
      throw new HowlError(404, 'not_found', 'team: there is no team yet', { field: 'team' });
    return this.pick(teams, name);
  }

  private async pick(teams: TeamRow[], name: string | undefined): Promise<TeamRow> {
    const names = teams.map((x) => x.name).join(', ');
    if (name) {
      const t = await findTeamByName(this.db, name);
      if (t) return t;
      throw new HowlError(404, 'not_found', `team: no team named "${name}" (teams: ${names})`, {
        field: 'team',
      });
    }
    if (teams.length === 1 && teams[0]) return teams[0];
    throw new HowlError(400, 'team_required', `team: several teams exist, name one with --team (${names})`, {
      field: 'team',
    });
  }

  async count(): Promise<number> {
    return (await listTeams(this.db)).length;
  }
}
