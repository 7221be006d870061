/** An expected failure, answered as `{ error: { code, message, details } }` with `status`. */
export class HowlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HowlError';
  }
}

export const notFound = (what: string) => new HowlError(404, 'not_found', `${what} not found`);
export const conflict = (message: string, details?: unknown) =>
  new HowlError(409, 'conflict', message, details);
export const badRequest = (field: string, message: string) =>
  new HowlError(400, 'invalid_input', `${field}: ${message}`, { field });
