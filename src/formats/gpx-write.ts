import type { TrackPoint } from '../domain/drill-score.ts';

export interface TrackToWrite {
  readonly name?: string;
  readonly points: readonly TrackPoint[];
}

export interface GpxOptions {
  /** The file's name in its metadata. */
  readonly name?: string;
  readonly creator?: string;
}

/**
 * The tracks as a GPX 1.1 document, one `trk` of one `trkseg` each, in the layout GPS apps write. Coordinates
 * keep nine decimals (0.1 mm) and times their milliseconds, so that an exported drill scores the same when read
 * back.
 */
export function writeGpx(tracks: readonly TrackToWrite[], options: GpxOptions = {}): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<gpx version="1.1" creator="${escapeXml(options.creator ?? 'Howl')}" xmlns="http://www.topografix.com/GPX/1/1" ` +
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd">',
  ];
  const first = tracks.find((t) => t.points.length > 0)?.points[0];
  if (options.name !== undefined || first) {
    lines.push('  <metadata>');
    if (options.name !== undefined) lines.push(`    <name>${escapeXml(options.name)}</name>`);
    if (first) lines.push(`    <time>${time(first.timeMs)}</time>`);
    lines.push('  </metadata>');
  }
  for (const track of tracks) {
    lines.push('  <trk>');
    if (track.name !== undefined) lines.push(`    <name>${escapeXml(track.name)}</name>`);
    lines.push('    <trkseg>');
    for (const p of track.points) {
      lines.push(
        `      <trkpt lat="${decimal(p.lat)}" lon="${decimal(p.lon)}"><time>${time(p.timeMs)}</time></trkpt>`,
      );
    }
    lines.push('    </trkseg>', '  </trk>');
  }
  lines.push('</gpx>', '');
  return lines.join('\n');
}

/** Text safe inside an XML element or a quoted attribute; characters XML 1.0 cannot carry are dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/** A plain decimal (xsd:decimal has no exponent) with at most nine places. */
const decimal = (n: number) => n.toFixed(9).replace(/\.?0+$/, '');

/** ISO 8601 in UTC, with milliseconds only when there are some. */
const time = (ms: number) => new Date(Math.round(ms)).toISOString().replace('.000Z', 'Z');
