import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ActionList,
  ActionParams,
  ActionQuery,
  CorrectiveAction,
  CreateActionBody,
  HotWash,
  SaveHotWashBody,
  UpdateActionBody,
} from '../contract/hotwash.ts';
import { ReplayParams } from '../contract/replay.ts';
import type { AppDeps } from './deps.ts';

const tags = ['after-action'];

/** The hot wash of an operation and its corrective actions. */
export const hotWashRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { hotWash } = d.services;
    app.get(
      '/api/operations/:operationId/hotwash',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The operation's hot wash and actions",
          params: ReplayParams,
          response: { 200: HotWash },
        },
      },
      async (req) => hotWash.get(req.auth, req.auth.teamId, req.params.operationId),
    );
    app.put(
      '/api/operations/:operationId/hotwash',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Write the hot wash: what went well, what to improve (leader)',
          params: ReplayParams,
          body: SaveHotWashBody,
          response: { 200: HotWash },
        },
      },
      async (req) => hotWash.save(req.auth, req.auth.teamId, req.params.operationId, req.body),
    );
    app.post(
      '/api/operations/:operationId/corrective-actions',
      {
        config: { auth: 'leader' },
        schema: {
          tags,
          summary: 'Add a corrective action with an owner and a due date (leader)',
          params: ReplayParams,
          body: CreateActionBody,
          response: { 201: CorrectiveAction },
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(await hotWash.addAction(req.auth, req.auth.teamId, req.params.operationId, req.body)),
    );
    app.patch(
      '/api/corrective-actions/:actionId',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: 'Change an action (leader); its owner may mark it done',
          params: ActionParams,
          body: UpdateActionBody,
          response: { 200: CorrectiveAction },
        },
      },
      async (req) => hotWash.updateAction(req.auth, req.auth.teamId, req.params.actionId, req.body),
    );
    app.get(
      '/api/corrective-actions',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The team's corrective actions",
          querystring: ActionQuery,
          response: { 200: ActionList },
        },
      },
      async (req) => ({
        actions: await hotWash.list(req.auth, req.auth.teamId, {
          open: req.query.open === 'true',
          ownerId: req.query.ownerId,
        }),
      }),
    );
  };
