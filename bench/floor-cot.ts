// The floor for CoT ingest: a bare TCP server that splits the stream into events (at each `</event>`), reads
// each event's type, answers a ping (`t-x-c-t`) with a pong and stores nothing. Prints {"port": N}.
import { createServer } from 'node:net';

const PONG =
  '<?xml version="1.0" encoding="UTF-8"?><event version="2.0" uid="floor-pong" type="t-x-c-t-r" how="h-g-i-g-o"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail/></event>';
const END = '</event>';

const server = createServer((socket) => {
  let tail = '';
  socket.setNoDelay(true);
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    const text = tail + chunk;
    let from = 0;
    for (let at = text.indexOf(END, from); at !== -1; at = text.indexOf(END, from)) {
      const event = text.slice(from, at + END.length);
      from = at + END.length;
      const t = event.indexOf(' type="');
      const type = t === -1 ? '' : event.slice(t + 7, event.indexOf('"', t + 7));
      if (type === 't-x-c-t') socket.write(PONG);
    }
    tail = text.slice(from);
  });
  socket.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
