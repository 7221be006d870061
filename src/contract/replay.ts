import { z } from 'zod';
import { LatLon } from './common.ts';
import { LiveEvent } from './live.ts';
import { Operation } from './operations.ts';

/** The longest window `GET /api/replay` answers. */
export const REPLAY_MAX_DAYS = 7;
const DAY_MS = 86_400_000;

export const ReplayQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).describe('start of the window (ISO 8601)'),
    to: z.iso.datetime({ offset: true }).describe(`end of the window, at most ${REPLAY_MAX_DAYS} days later`),
  })
  .superRefine((q, ctx) => {
    const span = Date.parse(q.to) - Date.parse(q.from);
    if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (span > REPLAY_MAX_DAYS * DAY_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `at most ${REPLAY_MAX_DAYS} days after from`,
      });
  });
export type ReplayQuery = z.infer<typeof ReplayQuery>;

/** A logged event as the live feed sent it, with the time it was logged. */
export const ReplayEvent = z.object({
  time: z.string().describe('when it was logged (ISO 8601)'),
  event: LiveEvent,
});
export type ReplayEvent = z.infer<typeof ReplayEvent>;

const Deltas = z.array(z.number().int());

/**
 * One member's fixes as columns of differences (see `src/domain/replay-tracks.ts`): `t` in ms, the first from
 * `t0`; `lat` and `lon` in millionths of a degree, the first whole.
 */
export const PackedTrack = z.object({
  memberId: z.string(),
  t: Deltas.describe('ms since the fix before (the first: since t0)'),
  lat: Deltas.describe('1e-6 degrees since the fix before (the first: absolute)'),
  lon: Deltas.describe('1e-6 degrees since the fix before (the first: absolute)'),
});

export const ReplayPositions = z.object({
  t0: z.number().int().describe('epoch ms the first time of each track counts from'),
  count: z.number().int().describe('fixes in all tracks'),
  sampledEveryS: z
    .number()
    .int()
    .nullable()
    .describe('null: every stored fix; else at most one fix per member in each span of this many seconds'),
  tracks: z.array(PackedTrack),
});
export type ReplayPositions = z.infer<typeof ReplayPositions>;

export const ReplayMember = z.object({
  id: z.string(),
  callsign: z.string(),
  name: z.string(),
  kind: z.enum(['person', 'animal']),
  createdAt: z.string(),
  removed: z.boolean().describe('no longer in the team (still part of its history)'),
});
export type ReplayMember = z.infer<typeof ReplayMember>;

/**
 * Everything a replay needs, sent once: the window, the operations it covers, every event in it (and the
 * earlier ones that set its state at `from`), the team's members and their positions, packed.
 */
export const Replay = z.object({
  from: z.string().describe('start of the timeline (ISO 8601)'),
  to: z.string().describe('end of the timeline: the operation’s end, or now'),
  operations: z
    .array(Operation)
    .describe('the operation replayed and the incident it escalated into (or the exercise it interrupted)'),
  staleSeconds: z.number().describe("the team's limit without a report before a member shows stale"),
  base: LatLon.nullable().describe("the team's base, if set"),
  members: z.array(ReplayMember),
  context: z
    .array(ReplayEvent)
    .describe(
      'events before `from` that set the state then (the operations, alerts and board open at `from`)',
    ),
  events: z.array(ReplayEvent).describe('every event of the window, in log order'),
  positions: ReplayPositions,
});
export type Replay = z.infer<typeof Replay>;

export const ReplayParams = z.object({ operationId: z.string().uuid() });

export const ReportQuery = z.object({
  paper: z.enum(['a4', 'letter']).default('a4').describe('page size of the PDF'),
});

/** `howl export` through a running server. */
export const AdminExportBody = z.object({
  operation: z
    .union([z.string().uuid(), z.literal('latest')])
    .describe("an operation's id, or latest: the team's most recent operation"),
  format: z.enum(['pdf', 'csv', 'gpx', 'geojson']),
  team: z.string().trim().max(80).optional().describe('the team, when there are several'),
  paper: z.enum(['a4', 'letter']).default('a4'),
});
export type AdminExportBody = z.infer<typeof AdminExportBody>;
