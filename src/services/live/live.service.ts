import type { Kysely } from 'kysely';
import type { LiveEvent, LiveMessage } from '../../contract/live.ts';
import { eventsAfter, lastSeq } from '../../store/events.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { AlertsService } from '../alerts/alerts.service.ts';
import { type Auth, requireMember } from '../core/auth.ts';
import { fromEventRow } from '../core/event-log.ts';
import type { PositionsService } from '../devices/positions.service.ts';
import type { IncidentsService } from '../incidents/incidents.service.ts';
import type { OperationsService } from '../operations/operations.service.ts';
import type { MembersService } from '../teams/members.service.ts';
import type { TeamsService } from '../teams/teams.service.ts';

/** What a live client gets when it (re)connects. */
export class LiveService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly teams: TeamsService,
    private readonly members: MembersService,
    private readonly positions: PositionsService,
    private readonly operations: OperationsService,
    private readonly alerts: AlertsService,
    private readonly incidents: IncidentsService,
  ) {}

  /** The events after `afterSeq` (none on a first connect), then a fresh snapshot. */
  async catchUp(auth: Auth, teamId: string, afterSeq?: number): Promise<LiveMessage[]> {
    requireMember(auth, teamId);
    const seq = await lastSeq(this.db, teamId);
    let missed: LiveEvent[] = [];
    if (afterSeq !== undefined && afterSeq < seq) {
      missed = (await eventsAfter(this.db, teamId, afterSeq))
        .filter((e) => Number(e.seq) <= seq)
        .map(fromEventRow);
    }
    const [team, members, positions, operation, alerts] = await Promise.all([
      this.teams.get(auth, teamId),
      this.members.list(auth, teamId),
      this.positions.latestList(auth, teamId),
      this.operations.activeOf(teamId),
      this.alerts.activeAlerts(teamId),
    ]);
    const board = operation ? await this.incidents.board(teamId, operation.id) : null;
    return [
      ...missed.map((event): LiveMessage => ({ type: 'event', event })),
      { type: 'snapshot', seq, team, members, positions, operation, alerts, board },
    ];
  }
}
