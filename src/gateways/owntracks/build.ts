import { z } from 'zod';
import type { Alert } from '../../contract/alerts.ts';
import type { LatLon } from '../../contract/common.ts';
import type { Position } from '../../contract/positions.ts';
import { alertHeadline } from '../../domain/alerts.ts';
import { notificationText } from '../../domain/mode.ts';

/**
 * What Howl sends to OwnTracks apps, in the booklet's shapes (owntracks.org/booklet/tech/json):
 *
 * - a teammate: a `location` (integers where the booklet says so, `vel` in km/h) and a `card` naming them;
 * - an alert: a `transition`. Both apps subscribe to `+/+/event` by default and show a friend's transition as
 *   a notification ("<name> enters <desc>"), and take it in HTTP answers too. A `cmd` would reach a device
 *   only on its own `…/cmd` topic with remote commands enabled, and no `cmd` action shows a text on Android:
 *   so a raised alert is an `enter`, a cancelled or resolved one a `leave`, its words in `desc`, prefixed
 *   "EXERCISE EXERCISE EXERCISE" in an exercise and "REAL — NOT A DRILL" otherwise; `wtst` (the "region"'s
 *   creation time) is the alert's time, the same for its enter and its leave.
 */

const Tid = z.string().min(1).max(2);

export const OwnTracksOutLocation = z.object({
  _type: z.literal('location'),
  tid: Tid,
  lat: z.number(),
  lon: z.number(),
  tst: z.number().int().describe('epoch seconds of the fix'),
  acc: z.number().int().optional(),
  alt: z.number().int().optional(),
  vel: z.number().int().optional().describe('km/h'),
  cog: z.number().int().optional(),
  batt: z.number().int().optional(),
  topic: z.string().optional(),
});
export type OwnTracksOutLocation = z.infer<typeof OwnTracksOutLocation>;

export const OwnTracksOutCard = z.object({
  _type: z.literal('card'),
  tid: Tid,
  name: z.string(),
  topic: z.string().optional(),
});
export type OwnTracksOutCard = z.infer<typeof OwnTracksOutCard>;

export const OwnTracksOutTransition = z.object({
  _type: z.literal('transition'),
  tid: Tid,
  event: z.enum(['enter', 'leave']),
  desc: z.string().describe('the alert, in its mode’s words'),
  t: z.literal('c'),
  tst: z.number().int(),
  wtst: z.number().int().describe('the alert’s time: the same for its enter and its leave'),
  acc: z.number().int(),
  lat: z.number().optional(),
  lon: z.number().optional(),
});
export type OwnTracksOutTransition = z.infer<typeof OwnTracksOutTransition>;

export const OwnTracksOut = z.discriminatedUnion('_type', [
  OwnTracksOutLocation,
  OwnTracksOutCard,
  OwnTracksOutTransition,
]);
export type OwnTracksOut = z.infer<typeof OwnTracksOut>;

const epochS = (d: Date | string) => Math.floor(new Date(d).getTime() / 1000);
const int = (n: number | null | undefined) => (n === null || n === undefined ? undefined : Math.round(n));

/** A teammate's position as an OwnTracks `location`. */
export function locationMessage(p: Position, tid: string, topic?: string): OwnTracksOutLocation {
  return {
    _type: 'location',
    tid,
    lat: p.lat,
    lon: p.lon,
    tst: epochS(p.time),
    acc: int(p.accuracy),
    alt: int(p.altitude),
    vel: int(p.speed === null ? null : p.speed * 3.6),
    cog: int(p.bearing),
    batt: int(p.battery),
    ...(topic && { topic }),
  };
}

/** A teammate's card: the name the apps show instead of the topic. */
export function cardMessage(callsign: string, tid: string, topic?: string): OwnTracksOutCard {
  return { _type: 'card', tid, name: callsign, ...(topic && { topic }) };
}

export type AlertChange = 'raised' | 'cancelled' | 'resolved';

/** An alert's words for a phone's notification, in its mode. */
export function alertText(a: Alert, change: AlertChange): string {
  const headline = alertHeadline(a);
  const text = a.text.trim();
  switch (change) {
    case 'raised':
      return notificationText(a.mode, text ? `${headline} — ${text}` : headline);
    case 'cancelled':
      return notificationText(
        a.mode,
        `CANCELLED: ${headline}${a.cancelReason ? ` — ${a.cancelReason}` : ''}`,
      );
    case 'resolved':
      return notificationText(a.mode, `RESOLVED: ${headline}`);
    default: {
      const never: never = change;
      return never;
    }
  }
}

/** An alert as an OwnTracks `transition`: `enter` when raised, `leave` when it ends. */
export function alertTransition(
  a: Alert,
  change: AlertChange,
  opts: { tid: string; where?: LatLon; now: Date },
): OwnTracksOutTransition {
  const when = change === 'raised' ? a.time : change === 'cancelled' ? (a.cancelledAt ?? opts.now) : opts.now;
  return {
    _type: 'transition',
    tid: opts.tid,
    event: change === 'raised' ? 'enter' : 'leave',
    desc: alertText(a, change),
    t: 'c',
    tst: epochS(when),
    wtst: epochS(a.time),
    acc: 0,
    ...(opts.where && { lat: opts.where.lat, lon: opts.where.lon }),
  };
}
