import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import { PMTiles, Protocol, TileType } from 'pmtiles';
import type { ClientConfig } from '../../../src/contract/config.ts';
import { preparedAreas, topoStyle } from './topo-style.ts';

export const BACKGROUND = '#17202b';

/** The plain offline style: a background colour only; the grid and labels are added on top. No glyphs. */
function plainStyle(): StyleSpecification {
  return {
    version: 8,
    sources: {},
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }],
  };
}

function rasterStyle(source: StyleSpecification['sources'][string]): StyleSpecification {
  const style = plainStyle();
  style.sources.basemap = source;
  style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap', paint: { 'raster-opacity': 0.9 } });
  return style;
}

let protocol: Protocol | null = null;

function pmtilesProtocol(): Protocol {
  if (!protocol) {
    protocol = new Protocol();
    maplibregl.addProtocol('pmtiles', protocol.tile);
  }
  return protocol;
}

/** Simple fills and lines for each layer of a vector archive, coloured by a guess from its name; no text. */
function vectorLayers(layerIds: readonly string[]): LayerSpecification[] {
  const colour = (id: string) => {
    if (/water|ocean|river|lake/i.test(id)) return '#2b4c6f';
    if (/park|wood|forest|landcover|landuse|grass/i.test(id)) return '#29402f';
    if (/road|transport|street|highway/i.test(id)) return '#8c96a3';
    if (/building/i.test(id)) return '#3a4553';
    if (/boundar|admin/i.test(id)) return '#6d5a8a';
    return '#46505c';
  };
  return layerIds.flatMap((id): LayerSpecification[] => [
    {
      id: `pm-fill-${id}`,
      type: 'fill',
      source: 'basemap',
      'source-layer': id,
      filter: ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]],
      paint: { 'fill-color': colour(id), 'fill-opacity': 0.6 },
    },
    {
      id: `pm-line-${id}`,
      type: 'line',
      source: 'basemap',
      'source-layer': id,
      filter: ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]],
      paint: { 'line-color': colour(id), 'line-width': 1 },
    },
  ]);
}

async function pmtilesStyle(url: string): Promise<StyleSpecification> {
  const absolute = new URL(url, location.href).href;
  const archive = new PMTiles(absolute);
  pmtilesProtocol().add(archive);
  const header = await archive.getHeader();
  const source = `pmtiles://${absolute}`;
  if (header.tileType !== TileType.Mvt) {
    return rasterStyle({ type: 'raster', url: source, tileSize: 256 });
  }
  const metadata = (await archive.getMetadata()) as { vector_layers?: { id: string }[] } | undefined;
  const ids = (metadata?.vector_layers ?? []).map((l) => l.id);
  const style = plainStyle();
  style.sources.basemap = { type: 'vector', url: source };
  style.layers.push(...vectorLayers(ids));
  return style;
}

export interface BaseStyle {
  style: StyleSpecification;
  /** Whether a map lies under the grid (tiles set, or areas prepared). */
  basemap: boolean;
  warning?: string;
}

/**
 * The base map: the server's tile setting (`HOWL_TILES`) when there is one, else the topographic map of the
 * areas prepared with `howl tiles extract`, else the plain grid. Falls back to the grid when tiles cannot be read.
 */
export async function buildStyle(
  tiles: ClientConfig['tiles'],
  theme: 'light' | 'dark' = 'dark',
): Promise<BaseStyle> {
  if (!tiles) {
    const areas = await preparedAreas();
    if (!areas.vector && !areas.terrain) return { style: plainStyle(), basemap: false };
    return { style: topoStyle(areas, theme), basemap: true };
  }
  if (tiles.kind === 'raster') {
    return {
      style: rasterStyle({ type: 'raster', tiles: [tiles.url], tileSize: 256, maxzoom: 19 }),
      basemap: true,
    };
  }
  try {
    return { style: await pmtilesStyle(tiles.url), basemap: true };
  } catch (err) {
    console.warn('howl: cannot read the PMTiles archive', err);
    return {
      style: plainStyle(),
      basemap: false,
      warning: 'The offline map file could not be read; showing the grid only.',
    };
  }
}
