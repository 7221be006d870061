import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AdminExportBody, ReplayParams, ReportQuery } from '../contract/replay.ts';
import type { ExportFile } from '../services/replay/reports.service.ts';
import type { AppDeps } from './deps.ts';
import { ADMIN } from './route-auth.ts';

const tags = ['replay'];

/** An operation's record as files: the after-action report (PDF) and every event (CSV); `howl export` too. */
export const reportsRoutes =
  (d: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { reports, teams } = d.services;
    const send = (
      reply: { type(t: string): { header(k: string, v: string): { send(b: Buffer): unknown } } },
      f: ExportFile,
    ) =>
      reply
        .type(f.contentType)
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .send(f.body);
    app.get(
      '/api/operations/:operationId/report.pdf',
      {
        config: { auth: 'member' },
        schema: {
          tags,
          summary: "The operation's after-action report (PDF)",
          params: ReplayParams,
          querystring: ReportQuery,
        },
      },
      async (req, reply) =>
        send(
          reply,
          await reports.export(req.auth, req.auth.teamId, req.params.operationId, 'pdf', req.query),
        ),
    );
    app.get(
      '/api/operations/:operationId/export.csv',
      {
        config: { auth: 'member' },
        schema: { tags, summary: 'Every event of the operation, in order (CSV)', params: ReplayParams },
      },
      async (req, reply) =>
        send(reply, await reports.export(req.auth, req.auth.teamId, req.params.operationId, 'csv')),
    );
    app.post(
      '/api/admin/exports',
      {
        config: { auth: 'admin' },
        schema: {
          tags: ['admin'],
          summary: "An operation's report or export (CLI: howl export)",
          body: AdminExportBody,
        },
      },
      async (req, reply) => {
        const team = await teams.resolveExisting(req.body.team);
        const id =
          req.body.operation === 'latest'
            ? await reports.latestOperationId(ADMIN, team.id)
            : req.body.operation;
        return send(reply, await reports.export(ADMIN, team.id, id, req.body.format, req.body));
      },
    );
  };
