/** The log calls the OwnTracks gateway makes; a pino logger (e.g. the HTTP app's `app.log`) fits. */
export interface OwnTracksLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** A logger that drops everything. */
export const silentLogger: OwnTracksLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
