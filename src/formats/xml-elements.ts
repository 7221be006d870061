import type { TrackColumns } from './track-columns.ts';

/** An element's start tag as the streaming parser reports it (names with their prefix, as written). */
export interface StartTag {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** What a format's reader is told about the document below its root element, in order. */
export interface ElementHandler {
  /** An element starts at `depth` (the root is 1), on `line`. */
  open(tag: StartTag, depth: number, line: number): void;
  /** Text or CDATA. */
  text(text: string): void;
  /** The element at `depth` ends. */
  close(name: string, depth: number): void;
  /** The document ended well-formed: the tracks, or the error that names the first problem. */
  end(): TrackColumns[];
}

const COLON = 58;

/** Whether a name is `local`, with or without a prefix (`gx:coord` is a `coord`). */
export const isNamed = (name: string, local: string) =>
  name === local || (name.endsWith(local) && name.charCodeAt(name.length - local.length - 1) === COLON);

/** Whether a name is `local` with a prefix. */
export const isPrefixed = (name: string, local: string) => name !== local && isNamed(name, local);

/**
 * The text content of the elements being read (a DOM's `textContent`: text and CDATA of the element and of the
 * elements inside it), each under a code the reader chose.
 */
export class TextCaptures {
  private readonly open: Array<{ depth: number; code: number; text: string }> = [];

  get active(): boolean {
    return this.open.length > 0;
  }

  start(depth: number, code: number): void {
    this.open.push({ depth, code, text: '' });
  }

  add(text: string): void {
    for (const c of this.open) c.text += text;
  }

  /** Ends the capture of the element closing at `depth`, if any, handing its text to `done`. */
  end(depth: number, done: (code: number, text: string) => void): void {
    const last = this.open.at(-1);
    if (last?.depth !== depth) return;
    this.open.pop();
    done(last.code, last.text);
  }

  clear(): void {
    this.open.length = 0;
  }
}
