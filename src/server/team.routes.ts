import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../contract/common.ts';
import {
  AddedMember,
  AddMemberBody,
  Connection,
  DeviceParams,
  Member,
  MemberList,
  MemberParams,
  RotatedDevice,
  Team,
  TeamSettingsBody,
  UpdateMemberBody,
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
    app.patch(
      '/api/members/:memberId',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: "Change a member: name, callsign, role, a K9's handler, device ids (leader)",
          params: MemberParams,
          body: UpdateMemberBody,
          response: {
            200: Member,
            400: ErrorBody,
            401: ErrorBody,
            403: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req) => {
        const { auth } = req;
        return members.update(auth, auth.teamId, req.params.memberId, req.body);
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
          summary:
            "Cut off a member's phones at once: every token revoked, every device id replaced (leader)",
          description:
            'Open WebSockets, CoT connections and sessions close; OsmAnd, OwnTracks and TAK clients using the ' +
            'old device ids are refused. Issue a new connection to set the member up again.',
          params: MemberParams,
        },
      },
      async (req, reply) => {
        const { auth } = req;
        await members.revoke(auth, auth.teamId, req.params.memberId);
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/members/:memberId/devices/:deviceId/rotate',
      {
        config: { auth: 'leader' },
        schema: {
          tags: ['team'],
          summary: 'Give one device of a member a new unguessable id; the old id stops working (leader)',
          params: DeviceParams,
          response: { 200: RotatedDevice, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => {
        const { auth } = req;
        return members.rotateDevice(auth, auth.teamId, req.params.memberId, req.params.deviceId);
      },
    );
  };
