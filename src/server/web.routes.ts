import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The built web app: the console at / and /login, the field page at /field, and a local tiles file. */
export async function webRoutes(app: FastifyInstance, d: AppDeps): Promise<void> {
  if (d.tilesFile) {
    await app.register(fastifyStatic, {
      root: dirname(d.tilesFile),
      prefix: '/tiles/',
      allowedPath: (path) => path === `/${basename(d.tilesFile ?? '')}`,
      decorateReply: false,
    });
  }
  const dir = d.webDir;
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send('Howl is running, but the web app is not built: run `npm run build`.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: false,
    wildcard: false,
    // The build wrote brotli and gzip copies: sent as they are to a browser that accepts them.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      // Hashed names never change their content: cached for a year. The rest is checked each time.
      res.setHeader('cache-control', /[/\\]assets[/\\]/.test(path) ? IMMUTABLE : 'no-cache');
    },
  });
  const page =
    (file: string) =>
    async (
      _req: unknown,
      reply: { sendFile: (f: string) => unknown; header: (k: string, v: string) => unknown },
    ) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(file);
    };
  app.get('/', page('index.html'));
  app.get('/login', page('index.html'));
  app.get('/field', page('field.html'));
}
