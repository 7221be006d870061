import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AddedMember, AdminAddMemberBody } from '../contract/members.ts';
import { AdminLoginLinkBody, LoginLink } from '../contract/sessions.ts';
import type { AppDeps } from './deps.ts';
import { ADMIN } from './route-auth.ts';

/** What the `howl` CLI does through a running server, with the admin secret from the data folder. */
export const adminRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { teams, members, sessions } = d.services;
    app.post(
      '/api/admin/members',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['admin'],
          summary: 'Add a member to a team (CLI)',
          body: AdminAddMemberBody,
          response: { 201: AddedMember },
        },
      },
      async (req, reply) => {
        const { team: teamName, ...body } = req.body;
        const team = await teams.resolveForAdmin(teamName, d.teamName);
        return reply.status(201).send(await members.add(ADMIN, team, body));
      },
    );
    app.post(
      '/api/admin/login-links',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['admin'],
          summary: 'A single-use console login link (CLI)',
          body: AdminLoginLinkBody,
          response: { 200: LoginLink },
        },
      },
      async (req) => {
        const team = await teams.resolveExisting(req.body.team);
        return sessions.createLoginLink(team, req.body.callsign);
      },
    );
  };
