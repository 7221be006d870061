import type { Agent } from 'node:http';
import type { Fix } from '../gps.ts';
import { request } from './http.ts';

/** What an OwnTracks app reads back from an HTTP-mode answer (the booklet's shapes, as far as used here). */
interface AnswerMessage {
  _type?: string;
  tid?: string;
  name?: string;
  topic?: string;
}

/**
 * The OwnTracks app in HTTP mode: one POST of a `location` per fix, with HTTP Basic auth (the member's
 * callsign and Howl token) and `X-Limit-U`/`X-Limit-D` (the app's user and device names, so that Howl files
 * the fix under the device `USER-DEVICE`). The answer is a JSON array of messages from friends: the
 * teammates' cards and latest locations, and alerts as transitions; here they are counted.
 */
export class OwnTracksClient {
  sent = 0;
  stored = 0;
  /** Teammates' locations received in the answers, all told. */
  teammateLocations = 0;
  /** Alerts received as transitions (a raised one `enter`, an ended one `leave`). */
  transitions = 0;
  /** The teammates the app has shown on its map: their names, from the cards. */
  readonly teammates = new Set<string>();
  private readonly authorization: string;
  private readonly tid: string;

  constructor(
    private readonly baseUrl: string,
    callsign: string,
    token: string,
    /** The app's user name (`USER` of the device `USER-DEVICE`). */
    readonly user: string,
    /** The app's device name (`DEVICE`). */
    readonly device: string,
    private readonly agent?: Agent,
  ) {
    this.authorization = `Basic ${Buffer.from(`${callsign}:${token}`).toString('base64')}`;
    this.tid = callsign.slice(0, 2).toUpperCase();
  }

  /** Sends a fix taken at `time`; resolves with the HTTP status (200 once stored). */
  async send(fix: Fix, time: Date, batteryPct?: number): Promise<number> {
    const body = JSON.stringify({
      _type: 'location',
      tid: this.tid,
      lat: Number(fix.lat.toFixed(7)),
      lon: Number(fix.lon.toFixed(7)),
      tst: Math.floor(time.getTime() / 1000),
      acc: Math.round(fix.accuracyM),
      vel: Math.round(fix.speedMps * 3.6),
      cog: Math.round(fix.headingDeg),
      ...(batteryPct !== undefined && { batt: Math.round(batteryPct) }),
      conn: 'm',
      t: 't',
    });
    this.sent++;
    const res = await request(`${this.baseUrl}/api/owntracks`, {
      method: 'POST',
      headers: {
        authorization: this.authorization,
        'content-type': 'application/json',
        'x-limit-u': this.user,
        'x-limit-d': this.device,
      },
      body,
      agent: this.agent,
    });
    if (res.status === 200) {
      this.stored++;
      this.read(res.text);
    }
    return res.status;
  }

  private read(text: string): void {
    const answer = JSON.parse(text) as unknown;
    if (!Array.isArray(answer)) throw new Error(`OwnTracks answer: expected a JSON array, got ${text}`);
    const names = new Map<string, string>();
    for (const m of answer as AnswerMessage[]) {
      if (m._type === 'card' && m.name) names.set(m.topic ?? m.tid ?? '', m.name);
    }
    for (const m of answer as AnswerMessage[]) {
      if (m._type === 'location') {
        this.teammateLocations++;
        const name = names.get(m.topic ?? m.tid ?? '');
        if (name) this.teammates.add(name);
      } else if (m._type === 'transition') this.transitions++;
    }
  }
}
