import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../contract/common.ts';
import { notFound } from '../contract/errors.ts';
import {
  AreaParams,
  ExtractBody,
  ExtractEstimate,
  ExtractEstimateBody,
  ExtractJobId,
  ExtractJobList,
  ExtractJobView,
  TileAreaList,
  TileParams,
} from '../contract/tiles.ts';
import type { TileAreas } from '../services/tiles/tile-areas.ts';
import type { TileExtracts } from '../services/tiles/tile-jobs.ts';
import type { AppDeps } from './deps.ts';

/** The prepared map areas and their extracts, when the server keeps them (a data folder). */
export interface TileDeps {
  areas: TileAreas;
  extracts: TileExtracts;
}

/** Tiles change only when an area is replaced: a day in the browser's cache, then asked again. */
const TILE_CACHE = 'public, max-age=86400';

function origin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

export const tilesRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tiles = d.tiles;
    const tags = ['maps'];
    const need = (): TileDeps => {
      if (!tiles) throw notFound('map areas (this server keeps none)');
      return tiles;
    };

    app.get(
      '/api/tiles',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'The prepared offline map areas, with size, zoom range and tile URL',
          response: { 200: TileAreaList },
        },
      },
      async () => ({ areas: tiles ? await tiles.areas.list() : [] }),
    );
    app.delete(
      '/api/tiles/:name',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Delete a prepared map area (leader)',
          params: AreaParams,
          response: { 204: z.null(), 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req, reply) => {
        await need().areas.delete(req.params.name);
        return reply.status(204).send(null);
      },
    );
    app.get(
      '/api/tiles/extracts',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Extracts started from the console, with progress (leader)',
          response: { 200: ExtractJobList },
        },
      },
      async () => ({ extracts: tiles ? tiles.extracts.list() : [] }),
    );
    app.post(
      '/api/tiles/extracts',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Start cutting an area out of a PMTiles archive (leader)',
          description:
            'The source is read and the extract planned before the answer, so that its size is known (or the ' +
            'error); the tiles are then fetched in the background: follow `GET /api/tiles/extracts`.',
          body: ExtractBody,
          response: { 202: ExtractJobView, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 502: ErrorBody },
        },
      },
      async (req, reply) => reply.status(202).send(await need().extracts.start(req.body)),
    );
    app.post(
      '/api/tiles/estimate',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'The size of an extract before it starts (leader)',
          description: "Reads the source's directories only; no tile is fetched and nothing is written.",
          body: ExtractEstimateBody,
          response: { 200: ExtractEstimate, 400: ErrorBody, 404: ErrorBody, 502: ErrorBody },
        },
      },
      async (req) => need().extracts.estimate(req.body),
    );
    app.delete(
      '/api/tiles/extracts/:id',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Stop an extract; its partial file is removed (leader)',
          params: ExtractJobId,
        },
      },
      async (req, reply) => {
        need().extracts.cancel(req.params.id);
        return reply.status(204).send();
      },
    );

    const sendTile = async (
      reply: FastifyReply,
      tile: Awaited<ReturnType<TileAreas['tile']>>,
    ): Promise<FastifyReply> => {
      reply.header('cache-control', TILE_CACHE);
      // No tile here: empty, which MapLibre draws as nothing (not an error).
      if (!tile) return reply.status(204).send();
      reply.type(tile.type);
      return reply.send(Buffer.from(tile.data.buffer, tile.data.byteOffset, tile.data.byteLength));
    };

    app.get(
      '/tiles/:name/:z/:x/:file',
      {
        config: { auth: 'none' },
        // Outside /api and its document: what a map library fetches, like the web app's files.
        schema: { hide: true, params: TileParams },
      },
      async (req, reply) => {
        const { name, z, x, file } = req.params;
        const y = Number.parseInt(file, 10);
        const t = need();
        if (name === '@vector' || name === '@terrain') {
          return sendTile(
            reply,
            await t.areas.joinedTile(name === '@vector' ? 'vector' : 'terrain', z, x, y),
          );
        }
        return sendTile(reply, await t.areas.tile(name, z, x, y));
      },
    );
    app.get(
      '/tiles/:name/tile.json',
      {
        config: { auth: 'none' },
        schema: { hide: true, params: TileParams.pick({ name: true }) },
      },
      async (req) => {
        const { name } = req.params;
        const t = need();
        const joined = name === '@vector' || name === '@terrain';
        const area = joined
          ? await t.areas.joined(name === '@vector' ? 'vector' : 'terrain')
          : await t.areas.describe(name);
        if (!area) throw notFound(`tile areas of kind ${name.slice(1)}`);
        const url = 'url' in area ? String(area.url) : name === '@vector' ? '.mvt' : '.png';
        const ext = url.slice(url.lastIndexOf('.') + 1);
        return {
          tilejson: '3.0.0',
          name,
          scheme: 'xyz',
          tiles: [`${origin(req)}/tiles/${encodeURIComponent(name)}/{z}/{x}/{y}.${ext}`],
          minzoom: area.minZoom,
          maxzoom: area.maxZoom,
          bounds: area.bounds,
          center: area.center,
          ...(area.encoding ? { encoding: area.encoding } : {}),
        };
      },
    );
  };
