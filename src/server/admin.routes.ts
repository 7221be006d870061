import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HowlError } from '../contract/errors.ts';
import { AddedMember, AdminAddMemberBody } from '../contract/members.ts';
import { BackupBody, PruneBody, PruneResult } from '../contract/retention.ts';
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
    app.post(
      '/api/admin/prune',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['admin'],
          summary: "Remove positions older than each team's retention setting (CLI: howl prune)",
          body: PruneBody,
          response: { 200: PruneResult },
        },
      },
      async (req) => d.services.retention.prune(req.body),
    );
    app.post(
      '/api/admin/backup',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['admin'],
          summary: 'The embedded database as a gzipped tarball, consistent while serving (CLI: howl backup)',
          body: BackupBody.optional(),
        },
      },
      async (_req, reply) => {
        if (!d.backup)
          throw new HowlError(
            409,
            'not_embedded',
            'database: Howl runs on PostgreSQL; back it up with pg_dump',
          );
        const bytes = await d.backup();
        return reply
          .header('content-type', 'application/gzip')
          .header('content-disposition', 'attachment; filename="howl-backup.tar.gz"')
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      },
    );
  };
