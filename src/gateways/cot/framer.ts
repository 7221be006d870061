/**
 * Splits a TAK stream into `<event>` documents. TAK clients send CoT XML back to back over TCP, each event
 * usually preceded by an XML declaration, and TAK servers break them apart "immediately after `</event>`"
 * (ATAK's commoncommo, `impl/protobuf/protocol.txt`, "Traditional Protocol"). The framer does the same on
 * bytes, so a multi-byte character split across TCP segments is never cut.
 *
 * Limits: an event larger than `maxEventBytes` is dropped and the stream resynchronised at its `</event>`;
 * bytes that never start an event are dropped once they exceed the same limit. So the connection's buffer
 * never holds more than `maxEventBytes` plus one TCP chunk.
 */
export type Frame =
  | { kind: 'event'; xml: string }
  | { kind: 'dropped'; reason: 'too_large' | 'truncated' | 'junk'; bytes: number };

export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

const START = Buffer.from('<event');
const END = Buffer.from('</event>');
/** Bytes that may begin a marker split across two chunks. */
const START_TAIL = START.length - 1;
const END_TAIL = END.length - 1;
/** What may stand between events without being junk: whitespace and XML declarations. */
const HARMLESS = /^(?:\s|<\?xml[^>]*\?>)*$/;

export class CotFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Inside an oversized event: discard until its `</event>`. */
  private skipping = false;
  private skipped = 0;

  constructor(private readonly maxEventBytes = DEFAULT_MAX_EVENT_BYTES) {}

  /** Bytes held while waiting for the rest of an event. */
  get pendingBytes(): number {
    return this.buf.length;
  }

  /** Adds a chunk from the socket and returns the events (and drops) it completes, in order. */
  push(chunk: Uint8Array): Frame[] {
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    const out: Frame[] = [];
    for (;;) {
      if (this.skipping) {
        const end = this.buf.indexOf(END);
        if (end < 0) {
          this.discard(Math.max(0, this.buf.length - END_TAIL));
          return out;
        }
        this.discard(end + END.length);
        out.push({ kind: 'dropped', reason: 'too_large', bytes: this.skipped });
        this.skipping = false;
        this.skipped = 0;
        continue;
      }
      const start = eventStart(this.buf, 0);
      if (start < 0) {
        if (this.buf.length > this.maxEventBytes) {
          const cut = this.buf.length - START_TAIL;
          out.push({ kind: 'dropped', reason: 'junk', bytes: cut });
          this.buf = this.buf.subarray(cut);
        }
        return out;
      }
      if (start > 0) {
        if (!HARMLESS.test(this.buf.toString('latin1', 0, start)))
          out.push({ kind: 'dropped', reason: 'junk', bytes: start });
        this.buf = this.buf.subarray(start);
      }
      const end = this.buf.indexOf(END);
      if (end < 0) {
        if (this.buf.length > this.maxEventBytes) {
          this.skipping = true;
          this.skipped = 0;
          this.discard(this.buf.length - END_TAIL);
        }
        return out;
      }
      // A truncated event followed by a whole one: keep the whole one.
      const last = lastEventStart(this.buf, end);
      if (last > 0) out.push({ kind: 'dropped', reason: 'truncated', bytes: last });
      const stop = end + END.length;
      if (stop - last > this.maxEventBytes)
        out.push({ kind: 'dropped', reason: 'too_large', bytes: stop - last });
      else out.push({ kind: 'event', xml: this.buf.toString('utf8', last, stop) });
      this.buf = this.buf.subarray(stop);
    }
  }

  private discard(n: number): void {
    this.skipped += n;
    this.buf = this.buf.subarray(n);
  }
}

/** Whether `<event` at `i` opens an event element (not `<events>` or `<eventType>`). */
function opensEvent(buf: Buffer, i: number): boolean {
  const next = buf[i + START.length];
  // Undefined: the chunk ends right after `<event`; the next chunk decides, so treat it as a start.
  return (
    next === undefined || next === 0x3e || next === 0x2f || next === 0x20 || (next >= 0x09 && next <= 0x0d)
  );
}

function eventStart(buf: Buffer, from: number): number {
  for (let i = buf.indexOf(START, from); i >= 0; i = buf.indexOf(START, i + 1))
    if (opensEvent(buf, i)) return i;
  return -1;
}

function lastEventStart(buf: Buffer, before: number): number {
  for (let i = buf.lastIndexOf(START, before); i >= 0; i = buf.lastIndexOf(START, i - 1)) {
    if (opensEvent(buf, i)) return i;
    if (i === 0) break;
  }
  return 0;
}
