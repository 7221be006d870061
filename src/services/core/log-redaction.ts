/** A request address with the values of the named query parameters replaced by `[redacted]`. */
export function redactedUrl(url: string, params: readonly string[]): string {
  return url.replace(new RegExp(`([?&](?:${params.join('|')})=)[^&#]*`, 'gi'), '$1[redacted]');
}

/**
 * A logger's settings with a request serializer that keeps the values of `params` (secrets in query strings:
 * `?token=` of the live feed, OsmAnd's device `id`) out of the log.
 */
export function withRedactedRequests<L>(logger: L, params: readonly string[]): L {
  if (!logger) return logger;
  const options = (logger === true ? {} : logger) as Record<string, unknown>;
  return {
    ...options,
    serializers: {
      ...(options as { serializers?: object }).serializers,
      req: (req: {
        method: string;
        url: string;
        host?: string;
        ip?: string;
        socket?: { remotePort?: number };
      }) => ({
        method: req.method,
        url: redactedUrl(req.url, params),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  } as L;
}
