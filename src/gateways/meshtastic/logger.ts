/** The log calls the Meshtastic and inReach gateways make; a pino logger (e.g. the HTTP app's `app.log`) fits. */
export interface GatewayLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
