// The floor for HTTP ingest: a bare Node `http` server that reads the same requests as Howl (an OsmAnd GET's
// query, an OwnTracks POST's JSON body), checks the fields a position needs and answers 200, storing nothing.
// Prints {"port": N} when listening.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET') {
    const q = url.searchParams;
    const ok = q.get('id') && Number.isFinite(Number(q.get('lat'))) && Number.isFinite(Number(q.get('lon')));
    res.writeHead(ok ? 200 : 400).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const m = JSON.parse(Buffer.concat(chunks).toString()) as { lat?: number; lon?: number };
    const ok = req.headers.authorization && typeof m.lat === 'number' && typeof m.lon === 'number';
    res.writeHead(ok ? 200 : 400, { 'content-type': 'application/json' }).end('[]');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
