import { connect, type Socket } from 'node:net';
import type { Fix } from '../gps.ts';

const STALE_S = 120;

const escapeXml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

/** One Cursor-on-Target situational-awareness event, as ATAK sends its own position. */
export function saEvent(uid: string, callsign: string, fix: Fix, time: Date): string {
  const t = time.toISOString();
  const stale = new Date(time.getTime() + STALE_S * 1000).toISOString();
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<event version="2.0" uid="${escapeXml(uid)}" type="a-f-G-U-C" how="m-g" time="${t}" start="${t}" stale="${stale}">` +
    `<point lat="${fix.lat.toFixed(7)}" lon="${fix.lon.toFixed(7)}" hae="9999999.0" ce="${fix.accuracyM}" le="9999999.0"/>` +
    `<detail><contact callsign="${escapeXml(callsign)}"/>` +
    `<track speed="${fix.speedMps}" course="${fix.headingDeg}"/></detail></event>`
  );
}

/**
 * A TAK client (ATAK, iTAK) on the Cursor-on-Target TCP stream: it streams its own position and reads
 * (and here only counts) the team picture the server sends back. TCP carries no per-event answer, so
 * `sent` counts what was written; the live feed shows what arrived.
 */
export class CotClient {
  sent = 0;
  bytesReceived = 0;
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    readonly uid: string,
    readonly callsign: string,
  ) {}

  async send(fix: Fix, time: Date): Promise<void> {
    const socket = await this.connected();
    await new Promise<void>((resolve, reject) =>
      socket.write(saEvent(this.uid, this.callsign, fix, time), (err) => (err ? reject(err) : resolve())),
    );
    this.sent++;
  }

  close(): void {
    this.socket?.end();
    this.socket = undefined;
    this.connecting = undefined;
  }

  private connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed) return Promise.resolve(this.socket);
    this.connecting ??= new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: this.host, port: this.port }, () => {
        s.off('error', reject);
        s.on('error', () => undefined);
        this.socket = s;
        resolve(s);
      });
      s.setNoDelay(true);
      s.once('error', reject);
      s.on('data', (chunk: Buffer) => {
        this.bytesReceived += chunk.length;
      });
      s.on('close', () => {
        if (this.socket === s) this.socket = undefined;
        this.connecting = undefined;
      });
    });
    return this.connecting;
  }
}
