// The worker thread that parses large track files (see track-parse-thread.ts): one file per message, the
// bytes transferred in and the tracks' points transferred back, packed in three columns.
import { parentPort } from 'node:worker_threads';
import { type PackedTracks, packTracks } from './track-columns.ts';
import { failFor, TrackFileError, type TrackFileErrorCode } from './track-file-error.ts';
import { readTrackColumns } from './track-reader.ts';

export interface ParseRequest {
  readonly bytes: Uint8Array;
  readonly source?: string;
}

export type ParseReply =
  | { readonly tracks: PackedTracks }
  | { readonly error: { readonly code: TrackFileErrorCode; readonly message: string } }
  | { readonly failure: string };

const port = parentPort;
port?.on('message', ({ bytes, source }: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { tracks: packTracks(readTrackColumns(bytes, failFor(source))) };
  } catch (e) {
    reply =
      e instanceof TrackFileError
        ? { error: { code: e.code, message: e.message } }
        : { failure: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  const buffers =
    'tracks' in reply
      ? [reply.tracks.counts, reply.tracks.lat, reply.tracks.lon, reply.tracks.timeMs].map(
          (a) => a.buffer as ArrayBuffer,
        )
      : [];
  port.postMessage(reply, buffers);
});
