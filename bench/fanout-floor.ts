// The floor for live fan-out: a bare `ws` server that takes the same OsmAnd-style GET and broadcasts each
// position to every connected viewer as its own frame, serialized per viewer (what Howl did before frames).
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';

const server = createServer((req, res) => {
  const q = new URL(req.url ?? '/', 'http://x').searchParams;
  const position = {
    memberId: q.get('id'),
    lat: Number(q.get('lat')),
    lon: Number(q.get('lon')),
    time: q.get('timestamp'),
  };
  for (const c of wss.clients) c.send(JSON.stringify({ type: 'position', position }));
  res.writeHead(200).end();
});
const wss = new WebSocketServer({ server });
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});
