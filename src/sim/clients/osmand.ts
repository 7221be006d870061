import type { Agent } from 'node:http';
import type { Fix } from '../gps.ts';
import { request } from './http.ts';

/** Traccar Client (OsmAnd protocol): one GET per fix, with nothing but the device id to say who it is. */
export class OsmAndClient {
  sent = 0;
  stored = 0;

  constructor(
    private readonly baseUrl: string,
    readonly deviceId: string,
    private readonly agent?: Agent,
  ) {}

  /** Sends a fix taken at `time`; resolves with the HTTP status (200 once stored). */
  async send(fix: Fix, time: Date, batteryPct?: number, alarm?: string): Promise<number> {
    const q = new URLSearchParams({
      id: this.deviceId,
      lat: fix.lat.toFixed(7),
      lon: fix.lon.toFixed(7),
      // Milliseconds (Howl accepts seconds, milliseconds or ISO 8601): fast-played reports come under a second apart.
      timestamp: String(time.getTime()),
      accuracy: String(fix.accuracyM),
      speed: String(fix.speedMps),
      bearing: String(fix.headingDeg),
      ...(batteryPct !== undefined && { batt: String(Math.round(batteryPct)) }),
      ...(alarm && { alarm }),
    });
    this.sent++;
    const res = await request(`${this.baseUrl}/?${q}`, { agent: this.agent });
    if (res.status === 200) this.stored++;
    return res.status;
  }
}
