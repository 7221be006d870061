import type { ExportTrack } from '../contract/positions.ts';
import { writeGpx } from './gpx-write.ts';

/** Members' tracks as GPX 1.1, one `trk` per member named by callsign. */
export function tracksToGpx(tracks: readonly ExportTrack[], name: string): string {
  return writeGpx(
    tracks.map((t) => ({ name: t.callsign, points: t.points })),
    { name },
  );
}

/**
 * Members' tracks as a GeoJSON FeatureCollection: a LineString per member (a Point when it
 * has one position), with the times in `coordTimes` as togeojson and other tools write them.
 */
export function tracksToGeoJson(tracks: readonly ExportTrack[]): object {
  return {
    type: 'FeatureCollection',
    features: tracks.map((t) => {
      const coordinates = t.points.map((p) => [p.lon, p.lat]);
      return {
        type: 'Feature',
        geometry:
          coordinates.length === 1
            ? { type: 'Point', coordinates: coordinates[0] }
            : { type: 'LineString', coordinates },
        properties: {
          memberId: t.memberId,
          callsign: t.callsign,
          coordTimes: t.points.map((p) => new Date(p.timeMs).toISOString()),
        },
      };
    }),
  };
}
