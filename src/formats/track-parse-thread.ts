import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { PackedTracks } from './track-columns.ts';
import { TrackFileError } from './track-file-error.ts';
import type { ParseReply, ParseRequest } from './track-parse.worker.ts';

/** A worker left idle this long is stopped (the next file starts another). */
const IDLE_MS = 30_000;
/** Far above what a 50 MB file needs: a parse that runs away ends its worker, not the server. */
const WORKER_HEAP_MB = 512;

export interface TrackParseThreadOptions {
  /** The worker's heap limit; a file that needs more is refused as too large (413). */
  readonly heapMb?: number;
}

interface Job {
  readonly bytes: Uint8Array;
  readonly source: string | undefined;
  readonly transfer: boolean;
  resolve(tracks: PackedTracks): void;
  reject(e: unknown): void;
}

/**
 * Parses track files in a worker thread, one at a time, so that a large file never holds up the event loop:
 * the bytes move to the worker without a copy when the caller gives them up (`transfer`), else as one copy,
 * and the points come back as three columns of numbers for all the tracks, transferred. The worker starts with the first file and
 * stops after a while idle; it keeps the process alive only while it works.
 */
export class TrackParseThread {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private current: Job | undefined;
  private idle: NodeJS.Timeout | undefined;

  constructor(private readonly options: TrackParseThreadOptions = {}) {}

  parse(bytes: Uint8Array, source: string | undefined, transfer = false): Promise<PackedTracks> {
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, source, transfer, resolve, reject });
      this.next();
    });
  }

  /** Stops the worker, refusing the file it is parsing if any; the next file starts another. */
  async stop(): Promise<void> {
    clearTimeout(this.idle);
    const worker = this.worker;
    const job = this.current;
    this.worker = undefined;
    this.current = undefined;
    job?.reject(new Error('the track file parser was stopped'));
    await worker?.terminate();
    this.next();
  }

  private next(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) {
      if (this.worker) {
        this.worker.unref();
        this.idle = setTimeout(() => void this.stop(), IDLE_MS).unref();
      }
      return;
    }
    clearTimeout(this.idle);
    this.current = job;
    try {
      const worker = this.start();
      worker.ref();
      const bytes = job.transfer && ownsItsBuffer(job.bytes) ? job.bytes : new Uint8Array(job.bytes);
      const request: ParseRequest = { bytes, source: job.source };
      worker.postMessage(request, [bytes.buffer as ArrayBuffer]);
    } catch (e) {
      this.current = undefined;
      job.reject(e);
      this.next();
    }
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(this.heapMb);
    worker.on('message', (reply: ParseReply) => this.settle(reply));
    worker.on('error', (e) => this.crashed(worker, e));
    worker.on('exit', (code) =>
      this.crashed(worker, new Error(`the track file parser stopped (exit code ${code})`)),
    );
    this.worker = worker;
    return worker;
  }

  private settle(reply: ParseReply): void {
    const job = this.current;
    this.current = undefined;
    if ('tracks' in reply) job?.resolve(reply.tracks);
    else if ('error' in reply) job?.reject(new TrackFileError(reply.error.code, reply.error.message));
    else job?.reject(new Error(`reading a track file failed: ${reply.failure}`));
    this.next();
  }

  private get heapMb(): number {
    return this.options.heapMb ?? WORKER_HEAP_MB;
  }

  private crashed(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const job = this.current;
    this.current = undefined;
    if (job && (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      const what = job.source ?? 'the file';
      job.reject(
        new TrackFileError('too_large', `${what} is too large to read: it needs more than ${this.heapMb} MB`),
      );
    } else {
      job?.reject(e);
    }
    this.next();
  }
}

/** Whether the bytes are the whole of their buffer (so that giving the buffer away gives away nothing else). */
const ownsItsBuffer = (bytes: Uint8Array) =>
  bytes.buffer instanceof ArrayBuffer &&
  bytes.byteOffset === 0 &&
  bytes.byteLength === bytes.buffer.byteLength;

/**
 * The worker: compiled JavaScript beside this file when there is some (dist/), else the TypeScript source, run
 * through tsx's loader, which a worker thread does not inherit from the main thread (tests, benchmarks).
 */
function spawnWorker(heapMb: number): Worker {
  const options: WorkerOptions = { resourceLimits: { maxOldGenerationSizeMb: heapMb } };
  const js = new URL('./track-parse.worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return new Worker(js, options);
  const ts = new URL('./track-parse.worker.ts', import.meta.url);
  const boot = `import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(ts.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}

/** The URL of tsx's ESM API (`tsx/esm/api`), found through its package manifest. */
function tsxApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const entry = exports['./esm/api']?.import?.default;
  if (!entry) throw new Error(`${manifest}: no ESM entry for tsx/esm/api`);
  return pathToFileURL(join(dirname(manifest), entry)).href;
}
