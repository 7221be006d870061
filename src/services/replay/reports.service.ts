import type { Kysely } from 'kysely';
import { notFound } from '../../contract/errors.ts';
import type { LiveEvent } from '../../contract/live.ts';
import type { Replay } from '../../contract/replay.ts';
import { replayStats } from '../../domain/operation-stats.ts';
import { logStateAt } from '../../domain/replay.ts';
import { eventKind, eventLine } from '../../domain/replay-events.ts';
import { unpackTracks } from '../../domain/replay-tracks.ts';
import { toCsv } from '../../formats/csv.ts';
import type { Paper, ReportData } from '../../formats/report-pdf.ts';
import { tracksToGeoJson, tracksToGpx } from '../../formats/track-export.ts';
import { getHotWash, listActions } from '../../store/hotwash.repo.ts';
import { getOperation, listOperations } from '../../store/operations.repo.ts';
import type { DB } from '../../store/schema.ts';
import { getTeam } from '../../store/teams.repo.ts';
import { type Auth, requireMember } from '../core/auth.ts';
import type { PositionsService } from '../devices/positions.service.ts';
import { loadSearchPlan } from '../search/search-plan.ts';
import type { ReplayService } from './replay.service.ts';

export const EXPORT_FORMATS = ['pdf', 'csv', 'gpx', 'geojson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  gpx: 'application/gpx+xml; charset=utf-8',
  geojson: 'application/geo+json; charset=utf-8',
};

type Timed = LiveEvent & { timeMs: number };

/** An operation's record as files to hand out: the PDF report, every event as CSV, the tracks as GPX or GeoJSON. */
export class ReportsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly replays: ReplayService,
    private readonly positions: PositionsService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The team's most recent operation (`howl export latest`). */
  async latestOperationId(auth: Auth, teamId: string): Promise<string> {
    requireMember(auth, teamId);
    const [latest] = await listOperations(this.db, teamId, 1);
    if (!latest) throw notFound('operation (the team has none yet)');
    return latest.id;
  }

  async export(
    auth: Auth,
    teamId: string,
    operationId: string,
    format: ExportFormat,
    opts: { paper?: Paper } = {},
  ): Promise<ExportFile> {
    const replay = await this.replays.ofOperation(auth, teamId, operationId);
    const name = replay.operations.map((o) => o.name).join(' - ') || 'operation';
    const stamp = replay.from.slice(0, 16).replace(':', '');
    const filename = `howl-${slug(name)}-${stamp}.${format}`;
    const file = (body: Buffer | string) => ({
      filename,
      contentType: CONTENT_TYPES[format],
      body: typeof body === 'string' ? Buffer.from(body) : body,
    });
    switch (format) {
      case 'csv':
        return file(eventsCsv(replay));
      case 'pdf': {
        // The PDF writer (and its fonts) is loaded the first time a report is asked for, not at start.
        const { reportPdf } = await import('../../formats/report-pdf.ts');
        return file(await reportPdf(await this.reportData(teamId, replay), opts.paper));
      }
      case 'gpx':
      case 'geojson': {
        const { tracks } = await this.positions.operationTracks(auth, teamId, operationId);
        return file(format === 'gpx' ? tracksToGpx(tracks, name) : JSON.stringify(tracksToGeoJson(tracks)));
      }
      default: {
        const never: never = format;
        return never;
      }
    }
  }

  private async reportData(teamId: string, replay: Replay): Promise<ReportData> {
    const team = await getTeam(this.db, teamId);
    const tracks = unpackTracks(replay.positions);
    const callsign = callsignOf(replay);
    const timed: Timed[] = [...replay.context, ...replay.events].map((e) => ({
      ...e.event,
      timeMs: Date.parse(e.time),
    }));
    const window = replay.events.map((e): Timed => ({ ...e.event, timeMs: Date.parse(e.time) }));
    const end = logStateAt(timed, Date.parse(replay.to));
    return {
      team: team?.name ?? '',
      operations: replay.operations,
      fromMs: Date.parse(replay.from),
      toMs: Date.parse(replay.to),
      members: replay.members,
      tracks,
      base: replay.base,
      stats: replayStats(replay, tracks),
      events: window
        .filter((e) => eventKind(e) !== null && eventKind(e) !== 'message')
        .map((e) => ({ timeMs: e.timeMs, mode: e.mode, line: eventLine(e, callsign) })),
      casualties: end.casualties.map((c) => ({
        callsign: callsign(c.memberId),
        triage: c.triage,
        injuries: c.injuries,
        care: c.careLog.map((x) => `${x.author}: ${x.text}`),
      })),
      contacts: end.contacts.map(({ contact, mode }) => ({
        mode,
        count: contact.count,
        withdrawn: contact.withdrawn,
        text: [contact.direction, contact.text].filter(Boolean).join('; '),
        timeMs: Date.parse(contact.time),
      })),
      search: await this.searchOf(replay),
      hotWash: await this.hotWashOf(teamId, replay),
      generatedAt: this.now(),
    };
  }

  /** The search segments of the report's operations, their figures as at the end of the window. */
  private async searchOf(replay: Replay): Promise<ReportData['search']> {
    const out: ReportData['search'][number][] = [];
    for (const { id } of replay.operations) {
      const op = await getOperation(this.db, id);
      if (!op) continue;
      const plan = await loadSearchPlan(this.db, op, new Date(replay.to));
      for (const s of plan.segments) {
        const searchers = [...new Set(s.assignments.map((a) => a.callsign))].join(', ');
        const { name, areaM2, poa, coverage, pod, cumulativePod, currentPoa } = s;
        out.push({ name, areaM2, poa, coverage, pod, cumulativePod, currentPoa, searchers });
      }
    }
    return out;
  }
  /** The hot wash written for any operation of the report (the exercise's or the incident's). */
  private async hotWashOf(teamId: string, replay: Replay): Promise<ReportData['hotWash']> {
    for (const op of replay.operations) {
      const row = await getHotWash(this.db, op.id);
      const actions = await listActions(this.db, teamId, { operationId: op.id });
      if (!row && actions.length === 0) continue;
      return {
        wentWell: row?.went_well ?? '',
        toImprove: row?.to_improve ?? '',
        actions: actions.map((a) => ({
          text: a.text,
          owner: a.owner_callsign,
          dueOn: a.due_on,
          done: a.done_at !== null,
        })),
      };
    }
    return null;
  }
}

function callsignOf(replay: Replay): (id: string | null | undefined) => string {
  const members = new Map(replay.members.map((m) => [m.id, m.callsign]));
  return (id) => (id ? (members.get(id) ?? '?') : 'HOWL');
}

/** Every event of the window in log order: ISO time, sequence number, type, mode, who, and its line. */
export function eventsCsv(replay: Replay): string {
  const callsign = callsignOf(replay);
  return toCsv(
    ['time', 'seq', 'type', 'mode', 'who', 'text'],
    replay.events.map(({ time, event }) => {
      const timed = { ...event, timeMs: Date.parse(time) };
      const by = 'by' in event ? event.by : null;
      return [
        new Date(time).toISOString(),
        event.seq,
        event.type,
        event.mode,
        by ? callsign(by) : '',
        eventLine(timed, callsign),
      ];
    }),
  );
}

/** A file-name-safe form of an operation's name (it is the user's free text). */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'operation';
}
