import { HowlError } from '../contract/errors.ts';

export type TrackFileErrorCode =
  | 'too_large'
  | 'malformed_xml'
  | 'doctype_forbidden'
  | 'not_a_track_file'
  | 'no_track'
  | 'too_few_points'
  | 'invalid_point'
  | 'missing_time'
  | 'invalid_time'
  | 'time_out_of_order';

/** A track file that cannot be read; 413 when too large, 400 otherwise. */
export class TrackFileError extends HowlError {
  constructor(
    readonly code: TrackFileErrorCode,
    message: string,
  ) {
    super(code === 'too_large' ? 413 : 400, code, message);
    this.name = 'TrackFileError';
  }
}

/** Makes a TrackFileError whose message starts with the file's name. */
export type Fail = (code: TrackFileErrorCode, message: string) => TrackFileError;

/** Errors about the file `source` (named first in their messages, when given). */
export const failFor =
  (source: string | undefined): Fail =>
  (code, message) =>
    new TrackFileError(code, `${source ? `${source}: ` : ''}${message}`);
