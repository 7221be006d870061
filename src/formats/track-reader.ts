import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { GpxReader } from './gpx-reader.ts';
import { KmlReader } from './kml-reader.ts';
import type { TrackColumns } from './track-columns.ts';
import type { Fail, TrackFileError } from './track-file-error.ts';
import type { ElementHandler } from './xml-elements.ts';

/** Bytes decoded and parsed at a time: the document is never held as one string. */
const CHUNK_BYTES = 1 << 20;
/** Elements nested deeper are refused: track files nest a dozen deep, and every open element is kept. */
export const MAX_DEPTH = 1000;

/**
 * The tracks of a GPX or KML document (text, or bytes in the encoding its XML declaration names), parsed as a
 * stream by saxes: no DOM, and memory for the points' numbers only. Any well-formedness error is fatal, and a
 * DOCTYPE is refused where it stands: saxes expands no entity but XML's five and character references, fetches
 * nothing, and reports any other entity as an error. Namespaces are not processed: elements are known by the
 * names they are written with, as before. A document's own errors (a track without times…) are reported only
 * once the whole of it is known to be well-formed, as a DOM parser would.
 */
export function readTrackColumns(data: string | Uint8Array, fail: Fail): TrackColumns[] {
  const reader = new TrackXmlReader(fail);
  if (typeof data === 'string') {
    reader.write(data);
  } else {
    const decoder = decoderFor(data);
    for (let i = 0; i < data.byteLength; i += CHUNK_BYTES) {
      reader.write(decoder.decode(data.subarray(i, i + CHUNK_BYTES), { stream: true }));
    }
    reader.write(decoder.decode());
  }
  return reader.end();
}

/** The decoder of a document's bytes: UTF-16 by its byte order mark, else what its XML declaration says. */
function decoderFor(bytes: Uint8Array): TextDecoder {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be');
  const prolog = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(prolog)?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('utf-8');
  }
}

class TrackXmlReader {
  private readonly parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  private handler: ElementHandler | undefined;
  private root: string | undefined;
  private depth = 0;
  private line = 1;
  private lastClosed = '';
  private chunk = '';
  private chunkStart = 0;

  constructor(private readonly fail: Fail) {
    const p = this.parser;
    p.on('doctype', () => {
      throw fail('doctype_forbidden', 'has a DOCTYPE declaration, which track files never need: refused');
    });
    p.on('opentagstart', () => {
      this.line = p.line;
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', (tag) => this.close(tag));
    p.on('text', (text) => this.handler?.text(text));
    p.on('cdata', (text) => this.handler?.text(text));
    p.on('error', (e) => {
      throw this.malformed(e);
    });
  }

  write(text: string): void {
    if (text === '') return;
    this.chunkStart += this.chunk.length;
    this.chunk = text;
    this.parser.write(text);
  }

  end(): TrackColumns[] {
    this.parser.close();
    if (!this.handler) {
      throw this.fail('not_a_track_file', `not a GPX or KML file (its root element is <${this.root}>)`);
    }
    return this.handler.end();
  }

  private open(tag: SaxesTagPlain): void {
    const depth = ++this.depth;
    if (depth > MAX_DEPTH) {
      throw this.fail(
        'not_a_track_file',
        `not a track file: elements nested more than ${MAX_DEPTH} deep (line ${this.line})`,
      );
    }
    if (depth === 1) {
      this.root = tag.name;
      const local = tag.name.slice(tag.name.indexOf(':') + 1);
      if (local === 'gpx') this.handler = new GpxReader(this.fail);
      else if (local === 'kml') this.handler = new KmlReader(this.fail);
    }
    this.handler?.open(tag, depth, this.line);
  }

  private close(tag: SaxesTagPlain): void {
    this.lastClosed = tag.name;
    this.handler?.close(tag.name, this.depth);
    this.depth--;
  }

  private malformed(e: Error): TrackFileError {
    let reason = e.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '');
    if (reason === 'unexpected close tag') reason = this.mismatch();
    return this.fail('malformed_xml', `not well-formed XML: ${reason} (line ${this.parser.line})`);
  }

  /** An end tag that is not the open element's, named as a DOM parser names it. */
  private mismatch(): string {
    const at = this.parser.position - this.chunkStart;
    const start = this.chunk.lastIndexOf('</', at - 1);
    const end = this.chunk.indexOf('>', start);
    const name = start >= 0 && end > start ? this.chunk.slice(start + 2, end).trim() : '?';
    return `Opening and ending tag mismatch: "${this.lastClosed}" != "${name}"`;
  }
}
