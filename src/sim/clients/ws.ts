import { createRequire } from 'node:module';

/** The part of a `ws` client socket the simulator uses (`ws` ships no types, and @types/ws is not installed). */
export interface WsSocket {
  on(event: 'open', listener: () => void): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  on(event: 'unexpected-response', listener: (req: unknown, res: { statusCode?: number }) => void): void;
  close(): void;
  terminate(): void;
  readonly readyState: number;
}

type WsConstructor = new (url: string, opts?: { headers?: Record<string, string> }) => WsSocket;

let ctor: WsConstructor | undefined;

/** A WebSocket client connection (the `ws` package), with optional request headers. */
export function openSocket(url: string, headers?: Record<string, string>): WsSocket {
  ctor ??= createRequire(import.meta.url)('ws') as WsConstructor;
  return new ctor(url, headers ? { headers } : undefined);
}
