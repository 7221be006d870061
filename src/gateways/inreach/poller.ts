import type { PolledFeed as InReachFeedRow } from '../../services/devices/inreach.service.ts';
import type { GatewayLogger } from '../meshtastic/logger.ts';
import { reportOfPlacemark } from './events.ts';
import { MAX_FEED_BYTES, parseMapShare } from './kml.ts';
import type { InReachServices } from './services.ts';

export interface PollResult {
  feeds: number;
  stored: number;
  errors: number;
}

export interface InReachPollerOptions {
  logger: GatewayLogger;
  /** One request's time limit (default 20 s). */
  timeoutMs?: number;
}

/**
 * Polls each member's Garmin MapShare feed (run by the server's clock every HOWL_INREACH_POLL_S): asks for
 * the points since the last one seen (`d1=`, Garmin's minute resolution: a point seen again is stored once),
 * with the MapShare password as HTTP basic auth, and hands each placemark to the inReach service. A feed that
 * fails (unreachable, password refused, not KML) is logged and its error kept for the console; the others go on.
 */
export class InReachPoller {
  private running = false;

  constructor(
    private readonly services: InReachServices,
    private readonly opts: InReachPollerOptions,
  ) {}

  async pollAll(): Promise<PollResult> {
    const result: PollResult = { feeds: 0, stored: 0, errors: 0 };
    // A slow Garmin must not stack polls on top of each other.
    if (this.running) return result;
    this.running = true;
    try {
      for (const feed of await this.services.inreach.feeds()) {
        result.feeds++;
        const r = await this.pollOne(feed);
        result.stored += r.stored;
        if (r.error) result.errors++;
      }
    } finally {
      this.running = false;
    }
    return result;
  }

  async pollOne(feed: InReachFeedRow): Promise<{ stored: number; error: string | null }> {
    const log = this.opts.logger;
    const where = { memberId: feed.member_id, teamId: feed.team_id, feed: redact(feed.url) };
    let xml: string;
    try {
      xml = await this.fetchFeed(feed);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      log.warn({ ...where, error }, 'inreach: MapShare feed not read');
      await this.services.inreach.recordPoll(feed.member_id, { error });
      return { stored: 0, error };
    }
    const parsed = parseMapShare(xml);
    if (!parsed.ok) {
      log.warn({ ...where, reason: parsed.reason }, 'inreach: MapShare feed refused, nothing stored');
      await this.services.inreach.recordPoll(feed.member_id, { error: parsed.reason });
      return { stored: 0, error: parsed.reason };
    }
    for (const r of parsed.rejected)
      log.warn({ ...where, ...r }, 'inreach: placemark rejected, nothing stored of it');
    let stored = 0;
    let lastPointAt: Date | undefined;
    for (const point of parsed.points) {
      let outcome: string;
      try {
        outcome = await this.services.inreach.take(reportOfPlacemark(point), {
          teamId: feed.team_id,
          memberId: feed.member_id,
        });
      } catch (err) {
        log.warn({ ...where, imei: point.imei, err }, 'inreach: placemark refused, nothing stored of it');
        continue;
      }
      if (outcome === 'stored') stored++;
      else if (outcome !== 'duplicate')
        log.warn(
          { ...where, imei: point.imei, outcome },
          `inreach: placemark of IMEI ${point.imei} ignored: register it as the member's device (howl member add --device IMEI)`,
        );
      if (outcome === 'stored' || outcome === 'duplicate')
        if (!lastPointAt || point.time > lastPointAt) lastPointAt = point.time;
    }
    await this.services.inreach.recordPoll(feed.member_id, { lastPointAt, error: null });
    if (stored > 0) log.info({ ...where, stored }, 'inreach: MapShare points stored');
    return { stored, error: null };
  }

  private async fetchFeed(feed: InReachFeedRow): Promise<string> {
    const url = new URL(feed.url);
    if (feed.last_point_at) url.searchParams.set('d1', garminTime(new Date(feed.last_point_at)));
    const headers: Record<string, string> = {
      accept: 'application/vnd.google-earth.kml+xml, application/xml',
    };
    if (feed.password) headers.authorization = `Basic ${Buffer.from(`:${feed.password}`).toString('base64')}`;
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 20_000) });
    if (res.status === 401 || res.status === 403)
      throw new Error(`HTTP ${res.status}: the MapShare password was refused`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_FEED_BYTES) throw new Error('feed larger than 5 MB');
    return res.text();
  }
}

/** The form of Garmin's `d1` parameter: `2012-10-16T06:19z` (UTC, to the minute). */
export function garminTime(d: Date): string {
  return `${d.toISOString().slice(0, 16)}z`;
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
