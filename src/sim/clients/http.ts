import { Agent, request as httpRequest } from 'node:http';

export interface HttpResponse {
  status: number;
  text: string;
}

export interface HttpOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Keep-alive connections shared by a client (default: the shared one of this module). */
  agent?: Agent;
  timeoutMs?: number;
}

const shared = new Agent({ keepAlive: true, maxSockets: 64 });

/** A keep-alive agent with at most `maxSockets` connections (one per simulated gateway or load run). */
export function createAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** One HTTP request, as a phone would make it; resolves with the status and body, rejects on network errors. */
export function request(url: string, opts: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: opts.method ?? 'GET',
        headers: {
          ...opts.headers,
          ...(opts.body !== undefined && { 'content-length': String(Buffer.byteLength(opts.body)) }),
        },
        agent: opts.agent ?? shared,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.setTimeout(opts.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}
