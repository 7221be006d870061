import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MeshApproveBody, MeshApproved, MeshNodeParams, MeshPendingList } from '../contract/meshtastic.ts';
import type { AppDeps } from './deps.ts';

/** Meshtastic nodes waiting for a leader: list, approve as a member's device, dismiss. */
export const meshtasticRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { meshtastic } = d.services;

    app.get(
      '/api/meshtastic/pending',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['meshtastic'],
          summary: 'Meshtastic nodes that sent your enrolment code as a text, waiting for approval (leader)',
          response: { 200: MeshPendingList },
        },
      },
      async (req) => ({ nodes: meshtastic.list(req.auth, req.auth.teamId) }),
    );

    app.post(
      '/api/meshtastic/pending/:nodeId/approve',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['meshtastic'],
          summary:
            'Bind a Meshtastic node id to a member of your team as their device: one on your list, or one read off the node (leader)',
          params: MeshNodeParams,
          body: MeshApproveBody,
          response: { 200: MeshApproved },
        },
      },
      async (req) => meshtastic.approve(req.auth, req.auth.teamId, req.params.nodeId, req.body.memberId),
    );

    app.delete(
      '/api/meshtastic/pending/:nodeId',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['meshtastic'],
          summary: 'Dismiss a waiting Meshtastic node (leader)',
          params: MeshNodeParams,
        },
      },
      async (req, reply) => {
        meshtastic.dismiss(req.auth, req.auth.teamId, req.params.nodeId);
        return reply.status(204).send();
      },
    );
  };
