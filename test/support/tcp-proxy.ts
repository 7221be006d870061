import net from 'node:net';

/**
 * A TCP proxy on loopback that a test can cut (every open connection reset, new ones refused) and restore,
 * to take a real server away from Howl for a while without stopping the shared server itself.
 */
export interface TcpProxy {
  port: number;
  /** Resets every open connection and refuses new ones until `restore`. */
  cut(): void;
  /**
   * Stops carrying bytes without closing anything (a phone that lost signal): open connections go silent and
   * new ones hang, until `restore`.
   */
  freeze(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let cutOff = false;
  let frozen = false;
  const server = net.createServer((client) => {
    if (cutOff) {
      client.resetAndDestroy();
      return;
    }
    if (frozen) {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      client.on('error', () => undefined);
      return; // accepted, never answered
    }
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    // While frozen, what arrives is dropped: nothing gets through either way.
    client.on('data', (b) => frozen || upstream.write(b));
    upstream.on('data', (b) => frozen || client.write(b));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    cut() {
      cutOff = true;
      for (const s of sockets) s.resetAndDestroy();
    },
    freeze() {
      frozen = true;
    },
    restore() {
      cutOff = false;
      frozen = false;
    },
    async close() {
      cutOff = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
