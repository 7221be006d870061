import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { Config } from '../app/config.ts';
import { AdminExportBody } from '../contract/replay.ts';
import { withTarget } from './target.ts';

export interface ExportCommandOptions {
  format: string;
  output?: string;
  team?: string;
  paper?: string;
}

/**
 * `howl export OPERATION_ID|latest --format pdf|csv|gpx|geojson -o FILE`: through the running server when one
 * holds the embedded database, otherwise straight from the database; a progress bar on a terminal.
 */
export async function exportCommand(
  config: Config,
  operation: string,
  opts: ExportCommandOptions,
): Promise<string> {
  const parsed = AdminExportBody.safeParse({
    operation,
    format: opts.format,
    team: opts.team,
    paper: opts.paper,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') === 'operation' ? 'OPERATION' : `--${issue?.path.join('.')}`;
    throw new Error(`${field}: ${issue?.message}`);
  }
  const body = parsed.data;
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'Exporting {step} [{bar}] {percentage}%', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(3, 0, { step: 'the operation' });
  try {
    const file = await withTarget<{ bytes: Buffer; name: string | null }>(config, {
      viaServer: async (api) => {
        bar?.update(1, { step: 'from the server' });
        const bytes = await api.download('/api/admin/exports', body, (got, total) => {
          if (total) bar?.update(1 + got / total, { step: 'from the server' });
        });
        return { bytes, name: null };
      },
      direct: async (s) => {
        const team = await s.teams.resolveExisting(body.team);
        const admin = { kind: 'admin' } as const;
        const id =
          body.operation === 'latest' ? await s.reports.latestOperationId(admin, team.id) : body.operation;
        bar?.update(1, { step: 'reading the record' });
        const f = await s.reports.export(admin, team.id, id, body.format, body);
        return { bytes: f.body, name: f.filename };
      },
    });
    bar?.update(2, { step: 'writing' });
    const out = resolve(opts.output ?? file.name ?? `howl-${body.operation}.${body.format}`);
    writeFileSync(out, file.bytes);
    bar?.update(3, { step: 'done' });
    return out;
  } finally {
    bar?.stop();
  }
}
