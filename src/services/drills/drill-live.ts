import type { Kysely } from 'kysely';
import { HowlError } from '../../contract/errors.ts';
import type { Operation } from '../../contract/operations.ts';
import { DrillScoreError, detectedFindMs, passesWithin, type TrackPoint } from '../../domain/drill-score.ts';
import { lightAt } from '../../domain/light.ts';
import {
  insertFind,
  listFinds,
  listTrackInfos,
  putTrack,
  runningDrillOperations,
  updateDrillRow,
} from '../../store/drills.repo.ts';
import { latestPositions, type PositionRow, positionsBetween } from '../../store/positions.repo.ts';
import type { DB } from '../../store/schema.ts';
import type { Auth } from '../core/auth.ts';
import { storedPoints } from './drill-mappers.ts';
import { rescore } from './drill-scoring.ts';
import type { DrillsService } from './drills.service.ts';

const SYSTEM: Auth = { kind: 'admin' };
/** How far behind the previous check each check reads trackers' fixes again: fixes can arrive late. */
const LATE_FIX_MARGIN_MS = 10 * 60_000;

const fixesOf = (rows: readonly PositionRow[], memberId: string): TrackPoint[] =>
  rows
    .filter((r) => r.member_id === memberId)
    .map((r) => ({ lat: r.lat, lon: r.lon, timeMs: new Date(r.time).getTime() }));

/**
 * Drills run live: finds detected from the positions while a drill runs (a clock job), and at ENDEX the
 * participants' positions between STARTEX and ENDEX taken as their tracks (an uploaded file wins) and scored.
 */
export class DrillLive {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly drills: DrillsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** ENDEX of an exercise: a tracking drill takes its tracks from the live positions and is scored. */
  async onEnded(teamId: string, exercise: Operation): Promise<void> {
    if (!exercise.endedAt) return;
    await this.takeLiveTracks(teamId, exercise, new Date(exercise.endedAt));
  }

  /**
   * A real incident suspended the exercise: a tracking drill keeps what was laid and tracked until then,
   * scored, so the record of the drill is not lost to the emergency.
   */
  async onSuspended(teamId: string, exerciseId: string, at: Date): Promise<void> {
    const operation = await this.drills.load(SYSTEM, teamId, exerciseId).then(
      (d) => d.operation,
      (e: unknown) => {
        if (e instanceof HowlError && e.status === 404) return null; // not a tracking drill
        throw e;
      },
    );
    if (operation) await this.takeLiveTracks(teamId, operation, at);
  }

  private async takeLiveTracks(teamId: string, exercise: Operation, to: Date): Promise<void> {
    if (exercise.type !== 'tracking' || !exercise.startedAt) return;
    const { facts } = await this.drills.load(SYSTEM, teamId, exercise.id);
    const from = new Date(exercise.startedAt);
    await this.db.transaction().execute(async (trx) => {
      const uploaded = new Set(
        (await listTrackInfos(trx, exercise.id)).filter((t) => t.source !== 'live').map((t) => t.member_id),
      );
      for (const memberId of [facts.runnerId, ...facts.trackerIds]) {
        if (!memberId || uploaded.has(memberId)) continue;
        const points = await this.positions(trx, teamId, memberId, from, to);
        if (points.length < 2) continue;
        await putTrack(trx, {
          operation_id: exercise.id,
          member_id: memberId,
          source: 'live',
          file_name: null,
          points: storedPoints(points),
          point_count: points.length,
          start_time: new Date((points[0] as TrackPoint).timeMs),
          end_time: new Date((points.at(-1) as TrackPoint).timeMs),
          uploaded_by: null,
        });
        if (memberId === facts.runnerId) {
          const first = points[0] as TrackPoint;
          const light = lightAt(first.lat, first.lon, first.timeMs);
          await updateDrillRow(trx, exercise.id, {
            light: light.light,
            sun_elevation: light.sunElevationDeg,
          });
        }
      }
      await rescore(trx, facts, this.now());
    });
    await this.drills.publish(teamId, exercise.id, 'scored');
  }

  /**
   * Records a `detected` find for each tracker of a running drill who reached the runner's last position. Each
   * check reads only the trackers' fixes since the previous one (with a margin for fixes that arrive late), and
   * the whole tracks only of a tracker whose new fixes pass near the runner; a fix older than the margin is
   * left to the scoring at ENDEX, which detects the find from the whole tracks.
   */
  async detectFinds(): Promise<number> {
    const now = this.now();
    const running = await runningDrillOperations(this.db);
    for (const id of this.checkedMs.keys())
      if (!running.some((op) => op.id === id)) this.checkedMs.delete(id);
    let found = 0;
    for (const op of running) {
      if (!op.started_at) continue;
      const startMs = new Date(op.started_at).getTime();
      const sinceMs = Math.max(startMs, (this.checkedMs.get(op.id) ?? startMs) - LATE_FIX_MARGIN_MS);
      this.checkedMs.set(op.id, now.getTime());
      found += await this.detectIn(op.team_id, op.id, new Date(startMs), new Date(sinceMs), now);
    }
    return found;
  }

  private async detectIn(
    teamId: string,
    drillId: string,
    start: Date,
    since: Date,
    now: Date,
  ): Promise<number> {
    const { facts } = await this.drills.load(SYSTEM, teamId, drillId);
    const radiusM = facts.drill.find_radius_m;
    const done = new Set((await listFinds(this.db, drillId)).map((f) => f.tracker_id));
    const open = facts.trackerIds.filter((t) => !done.has(t));
    const hide = (await latestPositions(this.db, teamId)).find((p) => p.member_id === facts.runnerId);
    if (!facts.runnerId || !hide || open.length === 0) return 0;
    const fresh = await positionsBetween(this.db, teamId, { since, until: now, memberIds: open });
    const near = open.filter((id) => passesWithin(fixesOf(fresh, id), hide, radiusM));
    if (near.length === 0) return 0;
    const runner = await this.positions(this.db, teamId, facts.runnerId, start, now);
    let found = 0;
    for (const trackerId of near) {
      const tracker = await this.positions(this.db, teamId, trackerId, start, now);
      const timeMs = runner.length < 2 || tracker.length < 2 ? null : this.detect(runner, tracker, radiusM);
      if (timeMs === null) continue;
      const row = { operation_id: drillId, tracker_id: trackerId, time: new Date(timeMs) };
      if (!(await insertFind(this.db, { ...row, source: 'detected', recorded_by: null }))) continue;
      await this.drills.publish(teamId, drillId, 'find');
      found++;
    }
    return found;
  }

  private detect(runner: TrackPoint[], tracker: TrackPoint[], radiusM: number): number | null {
    try {
      return detectedFindMs(runner, tracker, radiusM);
    } catch (e) {
      if (e instanceof DrillScoreError) return null;
      throw e;
    }
  }

  /** Drill → when its finds were last checked (ms). */
  private readonly checkedMs = new Map<string, number>();

  private async positions(
    db: Kysely<DB>,
    teamId: string,
    memberId: string,
    since: Date,
    until: Date,
  ): Promise<TrackPoint[]> {
    return fixesOf(await positionsBetween(db, teamId, { since, until, memberIds: [memberId] }), memberId);
  }
}
