import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { badRequest, conflict, notFound } from '../../contract/errors.ts';
import type {
  ExtractBody,
  ExtractEstimate,
  ExtractEstimateBody,
  ExtractJobView,
} from '../../contract/tiles.ts';
import type { TileAreas } from './tile-areas.ts';
import { planExtract, runExtract } from './tile-extract.ts';
import { openSource } from './tile-source.ts';

interface Job {
  view: ExtractJobView;
  abort: AbortController;
}

/** The console reads only from the network or from an archive file named in full on the server. */
function checkFrom(from: string): void {
  if (!/^https?:\/\//i.test(from) && !(isAbsolute(from) && from.endsWith('.pmtiles')))
    throw badRequest('from', 'an http(s) URL or an absolute path to a .pmtiles file on the server is needed');
}

/** Keeps this many finished extracts to show; running ones are always kept. */
const KEPT_FINISHED = 10;

/**
 * Extracts started from the console: planned at once (so that a bad box, a source that is not an archive
 * or a size over the limit is answered right away), then written in the background with their progress.
 */
export class TileExtracts {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly areas: TileAreas,
    private readonly onChange: () => void = () => undefined,
  ) {}

  private plan(source: ReturnType<typeof openSource>, body: ExtractEstimateBody) {
    const [west, south, east, north] = body.bbox;
    return planExtract(source, body.from, {
      bbox: { west, south, east, north },
      maxZoom: body.maxzoom,
      ...(body.terrain ? { terrainEncoding: body.terrain } : {}),
    });
  }

  list(): ExtractJobView[] {
    return [...this.jobs.values()].map((j) => ({ ...j.view }));
  }

  /** The size of an extract, from the source's directories only: what the console shows before it starts. */
  async estimate(body: ExtractEstimateBody): Promise<ExtractEstimate> {
    checkFrom(body.from);
    const plan = await this.plan(openSource(body.from), body);
    return {
      tiles: plan.tiles,
      bytes: plan.bytes,
      minZoom: plan.header.minZoom,
      maxZoom: plan.header.maxZoom,
    };
  }

  async start(body: ExtractBody): Promise<ExtractJobView> {
    checkFrom(body.from);
    const name = body.name;
    if (!name) throw badRequest('name', 'a name for the area is needed');
    const file = this.areas.fileOf(name);
    const busy = [...this.jobs.values()].some((j) => j.view.name === name && j.view.state === 'running');
    if (busy || existsSync(file)) throw conflict(`name: an area named "${name}" exists`, { field: 'name' });
    const abort = new AbortController();
    const source = openSource(body.from, abort.signal);
    const plan = await this.plan(source, body);
    if (body.maxSize !== undefined && plan.bytes > body.maxSize) {
      throw badRequest(
        'maxSize',
        `the extract needs ${plan.bytes} bytes, above the limit of ${body.maxSize}`,
      );
    }
    const view: ExtractJobView = {
      id: randomUUID(),
      name,
      state: 'running',
      tiles: plan.tiles,
      bytes: plan.bytes,
      bytesDone: 0,
      minZoom: plan.header.minZoom,
      maxZoom: plan.header.maxZoom,
    };
    this.jobs.set(view.id, { view, abort });
    this.forgetOld();
    this.areas.ensureDir();
    const dataStart = plan.bytes - plan.header.tileDataLength;
    runExtract(source, plan, file, (p) => (view.bytesDone = dataStart + p.bytesDone), abort.signal).then(
      () => {
        view.bytesDone = view.bytes;
        view.state = 'done';
        this.onChange();
      },
      (e: Error) => {
        view.state = abort.signal.aborted ? 'cancelled' : 'failed';
        view.error = e.message;
      },
    );
    return { ...view };
  }

  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (!job) throw notFound(`extract ${id}`);
    job.abort.abort();
  }

  /** Stops every running extract (the server is stopping); their partial files are removed. */
  close(): void {
    for (const j of this.jobs.values()) j.abort.abort();
  }

  private forgetOld(): void {
    const finished = [...this.jobs.values()].filter((j) => j.view.state !== 'running');
    for (const j of finished.slice(0, Math.max(0, finished.length - KEPT_FINISHED)))
      this.jobs.delete(j.view.id);
  }
}
