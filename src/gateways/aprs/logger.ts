/** The log calls the APRS gateway makes; a pino logger (e.g. the HTTP app's `app.log`) fits. */
export interface AprsLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
