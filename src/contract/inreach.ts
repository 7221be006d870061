import { z } from 'zod';

/** A member's Garmin MapShare feed, as a leader (or the member) sets it. */
export const InReachFeedBody = z.object({
  url: z
    .url({
      protocol: /^https?$/,
      error: 'an http(s) URL, e.g. https://share.garmin.com/Feed/Share/<map name>',
    })
    .max(2048)
    .describe('the raw KML feed of the MapShare page (Garmin Explore → MapShare → Feeds)'),
  password: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('the MapShare password, when the page has one (sent as HTTP basic auth)'),
});
export type InReachFeedBody = z.infer<typeof InReachFeedBody>;

export const InReachFeed = z.object({
  memberId: z.string(),
  url: z.string(),
  hasPassword: z.boolean().describe('the password is kept and never shown again'),
  lastPointAt: z.string().nullable().describe('the newest point taken from the feed (ISO 8601)'),
  lastPolledAt: z.string().nullable(),
  lastError: z.string().nullable().describe('why the last poll failed, if it did'),
});
export type InReachFeed = z.infer<typeof InReachFeed>;

/** The team's IPC Outbound settings, for the leader to enter at Garmin. */
export const InReachOutboundInfo = z.object({
  url: z.string().describe('the Outbound URL to give Garmin (secret included as ?secret=)'),
  secret: z.string().describe('also accepted as the x-outbound-auth-token header'),
});
export type InReachOutboundInfo = z.infer<typeof InReachOutboundInfo>;

const Point = z.object({
  latitude: z.number().finite().min(-90).max(90),
  longitude: z.number().finite().min(-180).max(180),
  altitude: z.number().finite().optional(),
  gpsFix: z.number().int().min(0).optional(),
  course: z.number().finite().optional(),
  speed: z.number().finite().optional(),
});

/** One event of Garmin's IPC Outbound body (the fields Howl reads; the others are let through). */
export const InReachEvent = z.object({
  imei: z.string().regex(/^\d{1,20}$/, 'digits'),
  messageCode: z.number().int().min(0),
  freeText: z.string().max(2000).nullish(),
  timeStamp: z.number().int().min(946_684_800_000, 'epoch milliseconds after 2000'),
  point: Point.nullish(),
});
export type InReachEvent = z.infer<typeof InReachEvent>;

/** Garmin's IPC Outbound POST body. */
export const InReachOutboundBody = z.object({
  Version: z.string().max(20),
  Events: z.array(InReachEvent).max(500),
});
export type InReachOutboundBody = z.infer<typeof InReachOutboundBody>;

export const InReachOutboundResult = z.object({
  positions: z.number().int().describe('points stored (a point already stored is not again)'),
  sos: z.number().int().describe('real SOS alerts raised'),
  messages: z.number().int(),
  ignored: z.number().int().describe('events from unknown devices or without a usable point'),
});

/** The IPC Outbound webhook's query: the team secret, when it is not in the `x-outbound-auth-token` header. */
export const InReachOutboundQuery = z.object({ secret: z.string().max(200).optional() });
