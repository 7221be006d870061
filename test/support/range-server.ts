import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP file server that answers byte ranges (RFC 9110 §14) like the object stores and CDNs PMTiles
 * archives are read from: `206 Partial Content` with `Content-Range`, or `200` with the whole body when
 * asked without a range. `vanishFrom(path, offset)` makes a file disappear (404 from then on) when a range starting at or past
 * `offset` is asked for: a source that goes away in the middle of an extract.
 */
export class RangeServer {
  private readonly files = new Map<string, Uint8Array>();
  private readonly vanishing = new Map<string, number>();
  readonly requests: string[] = [];
  private server: Server | null = null;
  url = '';

  put(path: string, body: Uint8Array): string {
    this.files.set(path, body);
    this.vanishing.delete(path);
    return `${this.url}${path}`;
  }

  vanishFrom(path: string, offset: number): void {
    this.vanishing.set(path, offset);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] as string;
      this.requests.push(`${req.headers.range ?? 'all'} ${path}`);
      const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
      const from = this.vanishing.get(path);
      if (from !== undefined && m && Number(m[1]) >= from) this.files.delete(path);
      const body = this.files.get(path);
      if (!body) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (!m) {
        res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' }).end(body);
        return;
      }
      const start = Number(m[1]);
      const end = Math.min(m[2] ? Number(m[2]) : body.length - 1, body.length - 1);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res
        .writeHead(206, {
          'content-range': `bytes ${start}-${end}/${body.length}`,
          'content-length': end - start + 1,
          'accept-ranges': 'bytes',
        })
        .end(body.subarray(start, end + 1));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
