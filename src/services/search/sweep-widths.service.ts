import type { Kysely } from 'kysely';
import { badRequest } from '../../contract/errors.ts';
import {
  type SweepWidth,
  SweepWidthBody,
  type SweepWidthBody as SweepWidthInput,
} from '../../contract/search.ts';
import {
  DETECTION_RANGE_FACTOR,
  sweepWidthFromDetectionRange,
  sweepWidthFromLateralRange,
} from '../../domain/sweep-width.ts';
import type { DB } from '../../store/schema.ts';
import { listSweepWidths, type SweepWidthRow, saveSweepWidth } from '../../store/search.repo.ts';
import { type Auth, requireLeader, requireMember } from '../core/auth.ts';
import { pooledDetectionTrials } from '../drills/detection-trials.ts';

const toSweepWidth = (r: SweepWidthRow): SweepWidth => ({
  resourceType: r.resource_type,
  sweepWidthM: r.sweep_width_m,
  source: r.source,
  details: r.details,
  updatedAt: new Date(r.updated_at).toISOString(),
});

/**
 * The team's sweep width per resource type (docs/search-planning.md): set by hand or fitted from a detection
 * drill's results, or pooled from the team's detection drills. An assignment without a sweep width takes its resource type's.
 */
export class SweepWidthsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async list(auth: Auth, teamId: string): Promise<SweepWidth[]> {
    requireMember(auth, teamId);
    return (await listSweepWidths(this.db, teamId)).map(toSweepWidth);
  }

  async set(auth: Auth, teamId: string, input: SweepWidthInput): Promise<SweepWidth> {
    requireLeader(auth, teamId);
    const body = SweepWidthBody.parse(input);
    let sweepWidthM: number;
    let details: unknown = null;
    switch (body.method) {
      case 'manual':
        sweepWidthM = body.sweepWidthM;
        break;
      case 'lateral_range': {
        const fit = sweepWidthFromLateralRange(body.trials, body.binM);
        sweepWidthM = fit.sweepWidthM;
        details = { binM: body.binM, trials: fit.trials, bins: fit.bins };
        break;
      }
      case 'detection_range':
        sweepWidthM = sweepWidthFromDetectionRange(body.maxRangesM, body.visibility);
        details = {
          visibility: body.visibility,
          factor: DETECTION_RANGE_FACTOR[body.visibility],
          maxRangesM: body.maxRangesM,
        };
        break;
      case 'detection_drills': {
        const pooled = await pooledDetectionTrials(
          this.db,
          teamId,
          body.resourceType,
          body.drillIds,
          this.now(),
        );
        if (pooled.trials.length === 0)
          throw badRequest('drillIds', 'the drills have no counted trials: no sweep width');
        const fit = sweepWidthFromLateralRange(pooled.trials, pooled.binM);
        sweepWidthM = fit.sweepWidthM;
        details = { drillIds: pooled.drillIds, binM: pooled.binM, trials: fit.trials, bins: fit.bins };
        break;
      }
      default:
        throw badRequest('method', 'unknown method');
    }
    if (!(sweepWidthM > 0)) {
      throw badRequest(
        {
          lateral_range: 'trials',
          detection_range: 'maxRangesM',
          detection_drills: 'drillIds',
          manual: 'sweepWidthM',
        }[body.method],
        'nothing was detected: no sweep width',
      );
    }
    return toSweepWidth(
      await saveSweepWidth(this.db, {
        team_id: teamId,
        resource_type: body.resourceType,
        sweep_width_m: sweepWidthM,
        source: body.method,
        details,
        updated_at: this.now(),
      }),
    );
  }
}
