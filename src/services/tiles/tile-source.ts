import { open } from 'node:fs/promises';
import type { RangeResponse, Source } from 'pmtiles';
import { HowlError } from '../../contract/errors.ts';

/** A PMTiles archive in a local file, read at offsets. */
export class LocalFileSource implements Source {
  constructor(private readonly path: string) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(this.path, 'r');
    } catch (e) {
      throw new HowlError(404, 'not_found', `from: cannot open ${this.path} (${(e as Error).message})`, {
        field: 'from',
      });
    }
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return { data: buf.buffer.slice(buf.byteOffset, buf.byteOffset + bytesRead) as ArrayBuffer };
    } finally {
      await handle.close();
    }
  }
}

/**
 * A PMTiles archive behind an HTTP(S) URL, read with range requests. A server that answers a range with the
 * whole file (200) cannot serve an extract: the error says so rather than downloading a planet.
 */
export class HttpRangeSource implements Source {
  constructor(
    private readonly url: string,
    private readonly signal?: AbortSignal,
  ) {}

  getKey(): string {
    return this.url;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        headers: { range: `bytes=${offset}-${offset + length - 1}` },
        signal: this.signal ?? null,
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      throw new HowlError(
        502,
        'source_unavailable',
        `from: ${this.url} did not answer (${cause ?? (e as Error).message})`,
        {
          field: 'from',
        },
      );
    }
    if (res.status === 416 && offset === 0) return { data: new ArrayBuffer(0) };
    if (res.status !== 206) {
      await res.body?.cancel();
      const why = res.status === 200 ? 'answered without range support' : `answered ${res.status}`;
      throw new HowlError(502, 'source_unavailable', `from: ${this.url} ${why}`, { field: 'from' });
    }
    const data = await res.arrayBuffer();
    return { data, etag: res.headers.get('etag') ?? undefined };
  }
}

/** The source for `--from`: an http(s) URL or a local path. */
export function openSource(from: string, signal?: AbortSignal): Source {
  return /^https?:\/\//i.test(from) ? new HttpRangeSource(from, signal) : new LocalFileSource(from);
}
