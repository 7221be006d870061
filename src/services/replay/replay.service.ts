import type { Kysely } from 'kysely';
import { badRequest, notFound } from '../../contract/errors.ts';
import type { LiveEvent } from '../../contract/live.ts';
import { REPLAY_MAX_DAYS, type Replay, type ReplayEvent } from '../../contract/replay.ts';
import { isActive } from '../../domain/operation.ts';
import { DEFAULT_STALE_S } from '../../domain/presence.ts';
import { latestVersions } from '../../domain/replay.ts';
import type { EventRow } from '../../store/events.repo.ts';
import { findEscalatedTo, getOperation, type OperationRow } from '../../store/operations.repo.ts';
import { eventsBetween, operationsUnderWayAt, teamHistoryMembers } from '../../store/replay.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam } from '../../store/teams.repo.ts';
import { type Auth, requireMember } from '../core/auth.ts';
import { fromEventRow } from '../core/event-log.ts';
import { toOperation } from '../operations/operation-mapper.ts';
import { packedPositions } from './replay-positions.ts';

const DAY_MS = 86_400_000;
const ms = (d: Date | string) => new Date(d).getTime();

/** The events whose latest version is the state at a moment (the rest only fill the timeline). */
const STATE_EVENTS = [
  'operation.updated',
  'alert.updated',
  'contact.updated',
  'rollcall.updated',
  'casualty.updated',
] as const;

/**
 * The window of an operation and of the one it is chained to by an escalation: from the exercise's STARTEX
 * (or its creation, never started) to the incident's close; now while any of them is under way.
 */
export function operationWindow(chain: readonly OperationRow[], nowMs: number): { from: number; to: number } {
  const first = chain[0];
  const last = chain[chain.length - 1];
  if (!first || !last) throw new Error('an operation window needs an operation');
  const from = ms(first.started_at ?? first.created_at);
  if (chain.some((o) => isActive(o))) return { from, to: Math.max(from, nowMs) };
  const to = last.ended_at ?? (last.state === 'suspended' ? null : (last.started_at ?? last.created_at));
  return { from, to: Math.max(from, to ? ms(to) : nowMs) };
}

/** Replays: everything that happened in an operation, or in a window of a team's time, sent in one answer. */
export class ReplayService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** An operation's replay, with the incident it escalated into (or the exercise the incident interrupted). */
  async ofOperation(auth: Auth, teamId: string, operationId: string): Promise<Replay> {
    requireMember(auth, teamId);
    const op = await getOperation(this.db, operationId);
    if (!op || op.team_id !== teamId) throw notFound('operation');
    const chain = await this.chainOf(op);
    const w = operationWindow(chain, this.now().getTime());
    return this.build(teamId, new Date(w.from), new Date(w.to), chain);
  }

  /** A window of the team's time, at most seven days long. */
  async ofWindow(auth: Auth, teamId: string, from: Date, to: Date): Promise<Replay> {
    requireMember(auth, teamId);
    if (!(to.getTime() > from.getTime())) throw badRequest('to', 'must be after from');
    if (to.getTime() - from.getTime() > REPLAY_MAX_DAYS * DAY_MS)
      throw badRequest('to', `at most ${REPLAY_MAX_DAYS} days after from`);
    return this.build(teamId, from, to, []);
  }

  private async chainOf(op: OperationRow): Promise<OperationRow[]> {
    if (op.escalated_from) {
      const exercise = await getOperation(this.db, op.escalated_from);
      return exercise ? [exercise, op] : [op];
    }
    const incidentId = op.kind === 'exercise' ? await findEscalatedTo(this.db, op.id) : undefined;
    const incident = incidentId ? await getOperation(this.db, incidentId) : undefined;
    return incident ? [op, incident] : [op];
  }

  private async build(teamId: string, from: Date, to: Date, chain: readonly OperationRow[]): Promise<Replay> {
    const team = await getTeam(this.db, teamId);
    if (!team) throw notFound('team');
    const staleSeconds = team.stale_seconds ?? DEFAULT_STALE_S;
    const nowMs = this.now().getTime();
    // A member's fix up to the stale limit before the window still places them at its start.
    const lookback = new Date(from.getTime() - staleSeconds * 1000);
    const [members, events, context, positions, operations] = await Promise.all([
      teamHistoryMembers(this.db, teamId),
      eventsBetween(this.db, teamId, { since: from, until: to }),
      this.contextBefore(teamId, from, chain),
      packedPositions(this.db, teamId, { since: lookback, until: to, t0: from.getTime() }),
      Promise.all(chain.map((o) => toOperation(this.db, o, nowMs))),
    ]);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      operations,
      staleSeconds,
      base:
        team.base_lat === null || team.base_lon === null ? null : { lat: team.base_lat, lon: team.base_lon },
      members: members.map((m) => ({
        id: m.id,
        callsign: m.callsign,
        name: m.name,
        kind: m.kind,
        createdAt: new Date(m.created_at).toISOString(),
        removed: m.removed_at !== null,
      })),
      context,
      events: events.map(toReplayEvent),
      positions,
    };
  }

  /**
   * The events before `from` that set the state then: the latest version of each operation, alert, contact,
   * casualty and roll call since the start of the operations under way at `from` (and of the chain's own).
   */
  private async contextBefore(
    teamId: string,
    from: Date,
    chain: readonly OperationRow[],
  ): Promise<ReplayEvent[]> {
    const underWay = await operationsUnderWayAt(this.db, teamId, from);
    const starts = [...underWay, ...chain].map((o) => ms(o.created_at));
    if (starts.length === 0) return [];
    const since = new Date(Math.min(...starts));
    const until = new Date(from.getTime() - 1);
    if (until < since) return [];
    const rows = await eventsBetween(this.db, teamId, { since, until, types: STATE_EVENTS });
    const timed = rows.map((r) => ({ ...fromEventRow(r), timeMs: ms(r.time), row: r }));
    return latestVersions(timed).map((e) => toReplayEvent(e.row));
  }
}

function toReplayEvent(row: EventRow): ReplayEvent {
  const event: LiveEvent = fromEventRow(row);
  return { time: new Date(row.time).toISOString(), event };
}
