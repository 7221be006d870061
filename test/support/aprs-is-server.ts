import { createServer, type Server, type Socket } from 'node:net';

/**
 * A stand-in APRS-IS server on loopback, speaking as aprsc does: a `# aprsc …` banner on connect, then
 * `# logresp CALL unverified, server …` to a `user CALL pass -1 …` login. It records every line clients send
 * (the login and `#filter` commands) and sends the lines a test gives it.
 */
export class AprsIsStandIn {
  readonly received: string[] = [];
  private readonly clients = new Set<Socket>();
  private server: Server | undefined;
  logins = 0;

  /** Listens on loopback, on `port` (0: any free one); returns the port. */
  async listen(port = 0): Promise<number> {
    this.server = createServer((socket) => {
      this.clients.add(socket);
      socket.on('close', () => this.clients.delete(socket));
      socket.on('error', () => undefined);
      socket.setEncoding('latin1');
      socket.write('# aprsc 2.1.19-g730c5c0\r\n');
      let buffer = '';
      socket.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\r\n');
        while (end >= 0) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          this.received.push(line);
          const login = /^user (\S+) pass (-?\d+)/.exec(line);
          if (login) {
            this.logins++;
            const verified = login[2] === '-1' ? 'unverified' : 'verified';
            socket.write(`# logresp ${login[1]} ${verified}, server T2TEST\r\n`);
          }
          end = buffer.indexOf('\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  }

  /** Sends lines to every connected client, as the server relays packets (`\r\n` after each). */
  send(...lines: string[]): void {
    const text = lines.map((l) => `${l}\r\n`).join('');
    for (const c of this.clients) c.write(Buffer.from(text, 'latin1'));
  }

  get connected(): number {
    return this.clients.size;
  }

  /** Drops every client connection, as a server restart does. */
  dropClients(): void {
    for (const c of this.clients) c.destroy();
  }

  async close(): Promise<void> {
    this.dropClients();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
