import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { InReachFeed, InReachFeedBody, InReachOutboundInfo } from '../contract/inreach.ts';
import { MemberParams } from '../contract/members.ts';
import type { AppDeps } from './deps.ts';

/** Members' Garmin MapShare feeds (a leader's, or the member's own), and the team's IPC Outbound settings. */
export const inreachRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { inreach } = d.services;

    app.put(
      '/api/members/:memberId/inreach',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['members'],
          summary:
            "Set a member's Garmin MapShare feed, polled for their inReach's points (leader, or oneself)",
          params: MemberParams,
          body: InReachFeedBody,
          response: { 200: InReachFeed },
        },
      },
      async (req) => inreach.setFeed(req.auth, req.auth.teamId, req.params.memberId, req.body),
    );

    app.get(
      '/api/members/:memberId/inreach',
      {
        config: { auth: 'member' },
        schema: {
          tags: ['members'],
          summary: "A member's MapShare feed and how its polling goes (leader, or oneself)",
          params: MemberParams,
          response: { 200: InReachFeed },
        },
      },
      async (req) => inreach.feed(req.auth, req.auth.teamId, req.params.memberId),
    );

    app.delete(
      '/api/members/:memberId/inreach',
      {
        config: { auth: 'member' },
        schema: { tags: ['members'], summary: "Stop polling a member's MapShare feed", params: MemberParams },
      },
      async (req, reply) => {
        await inreach.removeFeed(req.auth, req.auth.teamId, req.params.memberId);
        return reply.status(204).send();
      },
    );

    app.get(
      '/api/inreach/outbound-settings',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['members'],
          summary: "The URL and secret to enter as the team's inReach IPC Outbound at Garmin (leader)",
          response: { 200: InReachOutboundInfo },
        },
      },
      async (req) => inreach.outbound(req.auth, req.auth.teamId, d.clientConfig().publicUrl),
    );

    app.post(
      '/api/inreach/outbound-settings/rotate',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['members'],
          summary: 'A new IPC Outbound secret; the old one stops working at once (leader)',
          response: { 200: InReachOutboundInfo },
        },
      },
      async (req) => inreach.outbound(req.auth, req.auth.teamId, d.clientConfig().publicUrl, true),
    );
  };
