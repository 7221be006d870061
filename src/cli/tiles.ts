import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Config } from '../app/config.ts';
import { AreaName, BboxText, ByteSize, ExtractBody, TerrainEncoding } from '../contract/tiles.ts';
import { TileAreas } from '../services/tiles/tile-areas.ts';
import { planExtract, runExtract } from '../services/tiles/tile-extract.ts';
import { openSource } from '../services/tiles/tile-source.ts';

export interface ExtractCommandOptions {
  bbox: string;
  maxzoom: string;
  from: string;
  output?: string;
  maxSize?: string;
  terrain?: string;
}

/** "12.3 MB", "850 kB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

function fail(flag: string, result: { success: false; error: { issues: { message: string }[] } }): never {
  throw new Error(`${flag}: ${result.error.issues[0]?.message}`);
}

/** Where `-o` writes: a bare name goes to the data folder's tiles, a path (with / or .pmtiles) where it says. */
function outputOf(areas: TileAreas, from: string, output: string | undefined): string {
  if (output && (output.includes('/') || output.endsWith('.pmtiles'))) return resolve(output);
  const name = output ?? basename(from.replace(/[?#].*$/, '')).replace(/\.pmtiles$/i, '');
  const parsed = AreaName.safeParse(name);
  if (!parsed.success) fail(output ? '-o' : '-o (the name taken from --from)', parsed);
  areas.ensureDir();
  return areas.fileOf(parsed.data);
}

/** `howl tiles extract`: cuts a box out of a PMTiles archive into the data folder; returns the file. */
export async function extractCommand(config: Config, opts: ExtractCommandOptions): Promise<string> {
  const bbox = BboxText.safeParse(opts.bbox);
  if (!bbox.success) fail('--bbox', bbox);
  const maxSize = opts.maxSize === undefined ? undefined : ByteSize.safeParse(opts.maxSize);
  if (maxSize && !maxSize.success) fail('--max-size', maxSize);
  const terrain = opts.terrain === undefined ? undefined : TerrainEncoding.safeParse(opts.terrain);
  if (terrain && !terrain.success) fail('--terrain', terrain);
  const body = ExtractBody.safeParse({
    bbox: bbox.data,
    maxzoom: Number(opts.maxzoom),
    from: opts.from,
    maxSize: maxSize?.data,
    terrain: terrain?.data,
  });
  if (!body.success) fail(`--${body.error.issues[0]?.path.join('.')}`, body);

  const areas = new TileAreas(join(config.dataDir, 'tiles'));
  const file = outputOf(areas, opts.from, opts.output);
  if (existsSync(file))
    throw new Error(`-o: ${file} exists; delete it first (howl tiles delete) or choose another name`);
  const [west, south, east, north] = body.data.bbox;
  const source = openSource(body.data.from);
  // Timed from the first byte read: reading the directories is part of the work.
  const started = performance.now();
  const plan = await planExtract(source, body.data.from, {
    bbox: { west, south, east, north },
    maxZoom: body.data.maxzoom,
    ...(body.data.terrain ? { terrainEncoding: body.data.terrain } : {}),
  });
  const h = plan.header;
  console.log(
    `${plan.tiles} tiles (${plan.contents.length} distinct), zoom ${h.minZoom}–${h.maxZoom}: about ${formatBytes(plan.bytes)} → ${file}`,
  );
  if (body.data.maxSize !== undefined && plan.bytes > body.data.maxSize) {
    throw new Error(
      `--max-size: the extract needs ${formatBytes(plan.bytes)}, above the limit of ${formatBytes(body.data.maxSize)}; lower --maxzoom or draw a smaller box`,
    );
  }
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: 'Extracting [{bar}] {percentage}% | {value}/{total} tiles | {size}',
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(plan.contents.length, 0, { size: formatBytes(0) });
  try {
    await runExtract(source, plan, file, (p) =>
      bar?.update(p.contentsDone, { size: formatBytes(p.bytesDone) }),
    );
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Wrote ${file}: ${formatBytes(plan.bytes)}, ${plan.tiles} tiles in ${seconds.toFixed(1)} s (${Math.round(plan.tiles / Math.max(seconds, 1e-3))} tiles/s)`,
  );
  return file;
}

export async function listCommand(config: Config): Promise<void> {
  const areas = await new TileAreas(join(config.dataDir, 'tiles')).list();
  if (areas.length === 0) {
    console.log('No map areas yet: prepare one with `howl tiles extract --bbox W,S,E,N --from SOURCE`.');
    return;
  }
  for (const a of areas) {
    const b = a.bounds.map((v) => v.toFixed(4)).join(',');
    console.log(`${a.name}\t${a.kind}\t${formatBytes(a.bytes)}\tzoom ${a.minZoom}–${a.maxZoom}\t${b}`);
  }
}

export async function deleteCommand(config: Config, name: string): Promise<void> {
  await new TileAreas(join(config.dataDir, 'tiles')).delete(name);
  console.log(`Deleted the map area ${name}.`);
}
