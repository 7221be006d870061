import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AddedMember,
  AddMemberBody,
  Connection,
  MemberList,
  MemberParams,
  Team,
  TeamSettingsBody,
} from '../contract/members.ts';
import type { AppDeps } from './deps.ts';

export const teamRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { teams, members } = d.services;
    app.get(
      '/api/team',
      {
        config: { auth: 'member' },
        schema: { tags: ['team'], summary: 'Your team', response: { 200: Team } },
      },
      async (req) => {
        const { auth } = req;
        return teams.get(auth, auth.teamId);
      },
    );
    app.patch(
      '/api/team',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: 'Change team settings (leader)',
          body: TeamSettingsBody,
          response: { 200: Team },
        },
      },
      async (req) => {
        const { auth } = req;
        return teams.update(auth, auth.teamId, req.body);
      },
    );
    app.get(
      '/api/members',
      {
        config: { auth: 'member' },
        schema: { tags: ['team'], summary: 'Members of your team', response: { 200: MemberList } },
      },
      async (req) => {
        const { auth } = req;
        return { members: await members.list(auth, auth.teamId) };
      },
    );
    app.post(
      '/api/members',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: 'Add a member (leader)',
          body: AddMemberBody,
          response: { 201: AddedMember },
        },
      },
      async (req, reply) => {
        const { auth } = req;
        const team = await teams.get(auth, auth.teamId);
        return reply.status(201).send(await members.add(auth, team, req.body));
      },
    );
    app.delete(
      '/api/members/:memberId',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: 'Remove a member; their history stays (leader)',
          params: MemberParams,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        await members.remove(auth, auth.teamId, req.params.memberId);
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/members/:memberId/connection',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: 'Issue a fresh token with links and QR codes to connect a phone (leader)',
          params: MemberParams,
          response: { 200: Connection },
        },
      },
      async (req) => {
        const { auth } = req;
        return members.connection(auth, auth.teamId, req.params.memberId);
      },
    );
    app.post(
      '/api/members/:memberId/revoke',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: "Revoke all of a member's tokens at once (leader)",
          params: MemberParams,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        await members.revoke(auth, auth.teamId, req.params.memberId);
        return reply.status(204).send();
      },
    );
  };
