import type { Kysely } from 'kysely';
import type { LiveMessage } from '../../contract/live.ts';
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

/** Events read from the log per query when a client catches up. */
const CATCH_UP_PAGE = 1000;

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

  /** The events after `afterSeq` (none on a first connect), then a fresh snapshot, as one list. */
  async catchUp(auth: Auth, teamId: string, afterSeq?: number): Promise<LiveMessage[]> {
    const all: LiveMessage[] = [];
    for await (const page of this.catchUpPages(auth, teamId, afterSeq)) all.push(...page);
    return all;
  }

  /**
   * The events after `afterSeq` (none on a first connect), however many, a page at a time, then a fresh
   * snapshot as the last page. The events end at the sequence number the snapshot carries, so a client that
   * also receives what is published meanwhile sees every event once.
   */
  async *catchUpPages(
    auth: Auth,
    teamId: string,
    afterSeq?: number,
    pageSize = CATCH_UP_PAGE,
  ): AsyncGenerator<LiveMessage[]> {
    requireMember(auth, teamId);
    const seq = await lastSeq(this.db, teamId);
    let from = afterSeq ?? seq;
    while (from < seq) {
      const rows = (await eventsAfter(this.db, teamId, from, pageSize)).filter((e) => Number(e.seq) <= seq);
      if (rows.length === 0) break;
      from = Number(rows[rows.length - 1]?.seq);
      yield rows.map((row): LiveMessage => ({ type: 'event', event: fromEventRow(row) }));
    }
    const [team, members, positions, operation, alerts] = await Promise.all([
      this.teams.get(auth, teamId),
      this.members.list(auth, teamId),
      this.positions.latestList(auth, teamId),
      this.operations.activeOf(teamId),
      this.alerts.activeAlerts(teamId),
    ]);
    const board = operation ? await this.incidents.board(teamId, operation.id) : null;
    yield [{ type: 'snapshot', seq, team, members, positions, operation, alerts, board }];
  }
}
