declare module 'vt-pbf' {
  import type { LegacyTile } from 'geojson-vt';

  /** Mapbox Vector Tile protobuf bytes of geojson-vt tiles, one per layer name. */
  export function fromGeojsonVt(
    layers: Record<string, LegacyTile>,
    options?: { version?: number; extent?: number },
  ): Uint8Array;
}
