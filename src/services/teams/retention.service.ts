import type { Kysely } from 'kysely';
import { HowlError } from '../../contract/errors.ts';
import type { PruneBody, PruneResult } from '../../contract/retention.ts';
import { positionsBefore } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import { findTeamByName, listTeams } from '../../store/teams.repo.ts';

const DAY_MS = 86_400_000;

/**
 * Retention: a team that sets how many days it keeps positions (`keepPositionsDays`) has older ones removed
 * by `howl prune`; a team without the setting keeps everything. A dry run counts what would go.
 */
export class RetentionService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async prune(o: PruneBody): Promise<PruneResult> {
    const teams = o.team ? [await findTeamByName(this.db, o.team)] : await listTeams(this.db);
    const nowMs = this.now().getTime();
    const out: PruneResult['teams'] = [];
    for (const t of teams) {
      if (!t) throw new HowlError(404, 'not_found', `team: no team named "${o.team}"`, { field: 'team' });
      const days = t.keep_positions_days;
      if (days === null) {
        out.push({ team: t.name, keepPositionsDays: null, before: null, positions: 0 });
        continue;
      }
      const before = new Date(nowMs - days * DAY_MS);
      const positions = await positionsBefore(this.db, t.id, before, !o.dryRun);
      out.push({ team: t.name, keepPositionsDays: days, before: before.toISOString(), positions });
    }
    return { dryRun: o.dryRun, teams: out };
  }
}
