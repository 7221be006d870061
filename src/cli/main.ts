import { Command, Option } from 'commander';
import type { AddedMember } from '../contract/members.ts';
import type { PruneResult } from '../contract/retention.ts';
import type { LoginLink } from '../contract/sessions.ts';
import { VERSION } from '../server/paths.ts';
import type { CoverageCommandOptions } from './coverage.ts';
import type { DemoOptions } from './demo.ts';
import type { ExportCommandOptions } from './export.ts';
import type { RingsCommandOptions } from './rings.ts';
import type { ScoreCommandOptions } from './score.ts';
import type { ExtractCommandOptions } from './tiles.ts';

// Each verb imports what it needs when it runs: `howl --version` or `howl score` loads neither the
// server nor the database.

const program = new Command()
  .name('howl')
  .description('Howl: training, live tracking and the switch to reality for small field teams')
  .version(VERSION);

program
  .command('serve')
  .description('start Howl (what `npm start` runs)')
  .action(async () => {
    const [{ loadConfig }, { serve }] = await Promise.all([import('../app/config.ts'), import('./serve.ts')]);
    await serve(loadConfig());
  });

program
  .command('migrate')
  .description('bring the database schema up to date (start does this too)')
  .action(async () => {
    const [{ loadConfig }, { lockHolder }] = await Promise.all([
      import('../app/config.ts'),
      import('../store/data-lock.ts'),
    ]);
    const config = loadConfig();
    const pid = config.databaseUrl ? undefined : lockHolder(config.dataDir);
    if (pid !== undefined) {
      console.log(`The running server (pid ${pid}) migrated ${config.dataDir} when it started.`);
      return;
    }
    const { withDatabase } = await import('./target.ts');
    await withDatabase(config, async () => undefined);
    console.log('Database is up to date.');
  });

const member = program.command('member').description('team members');
member
  .command('add')
  .description('add a member; prints JSON with memberId, device and token')
  .requiredOption('--name <name>', 'full name')
  .requiredOption('--callsign <callsign>', 'callsign, unique within the team')
  .option('--device <id>', 'device id (Traccar Client identifier, TAK uid); generated when omitted')
  .addOption(new Option('--role <role>', 'role').choices(['leader', 'member']).default('member'))
  .option('--team <name>', 'team name (required when there are several teams)')
  .addOption(new Option('--kind <kind>', 'person, or animal for a K9').choices(['person', 'animal']))
  .option('--handler <callsign>', "a K9's handler (a person of the same team)")
  .action(
    async (opts: {
      name: string;
      callsign: string;
      device?: string;
      role: string;
      team?: string;
      kind?: string;
      handler?: string;
    }) => {
      const [{ loadConfig }, { AdminAddMemberBody }, { withTarget }] = await Promise.all([
        import('../app/config.ts'),
        import('../contract/members.ts'),
        import('./target.ts'),
      ]);
      const config = loadConfig();
      const parsed = AdminAddMemberBody.safeParse(opts);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`--${issue?.path.join('.')}: ${issue?.message}`);
      }
      const { team: teamName, ...body } = parsed.data;
      const added = await withTarget<AddedMember>(config, {
        viaServer: (api) => api.post('/api/admin/members', parsed.data),
        direct: async (s) =>
          s.members.add({ kind: 'admin' }, await s.teams.resolveForAdmin(teamName, config.teamName), body),
      });
      console.log(JSON.stringify(added, null, 2));
    },
  );

program
  .command('login-link')
  .description('print a single-use console login link (the first leader by default)')
  .option('--member <callsign>', 'whose link')
  .option('--team <name>', 'team name (required when there are several teams)')
  .action(async (opts: { member?: string; team?: string }) => {
    const [{ loadConfig }, { withTarget }] = await Promise.all([
      import('../app/config.ts'),
      import('./target.ts'),
    ]);
    const config = loadConfig();
    const link = await withTarget<LoginLink>(config, {
      viaServer: (api) => api.post('/api/admin/login-links', { callsign: opts.member, team: opts.team }),
      direct: async (s) => s.sessions.createLoginLink(await s.teams.resolveExisting(opts.team), opts.member),
    });
    console.log(`Login link for ${link.callsign} (${link.team}), valid once for 24 hours:\n${link.url}`);
  });

program
  .command('export')
  .description("write an operation's report or record to a file (beside a running server too)")
  .argument('<operation>', "the operation's id, or latest: the team's most recent operation")
  .addOption(
    new Option('--format <format>', 'what to write').choices(['pdf', 'csv', 'gpx', 'geojson']).default('pdf'),
  )
  .option('-o, --output <file>', 'where to write it (default: a name from the operation)')
  .option('--team <name>', 'team name (required when there are several teams)')
  .addOption(new Option('--paper <size>', 'PDF page size').choices(['a4', 'letter']).default('a4'))
  .action(async (operation: string, opts: ExportCommandOptions) => {
    const [{ loadConfig }, { exportCommand }] = await Promise.all([
      import('../app/config.ts'),
      import('./export.ts'),
    ]);
    const out = await exportCommand(loadConfig(), operation, opts);
    console.log(`Wrote ${out}`);
  });

program
  .command('backup')
  .description('write the embedded database to a file (beside a running server too); PostgreSQL: pg_dump')
  .argument('<file>', 'where to write the backup (a .tar.gz)')
  .action(async (file: string) => {
    const [{ loadConfig }, { backupCommand }] = await Promise.all([
      import('../app/config.ts'),
      import('./backup.ts'),
    ]);
    await backupCommand(loadConfig(), file, console.log);
  });

program
  .command('restore')
  .description('replace the embedded database with a backup (stop the server first); keeps the old one aside')
  .argument('<file>', 'a file written by `howl backup`')
  .action(async (file: string) => {
    const [{ loadConfig }, { restoreCommand }] = await Promise.all([
      import('../app/config.ts'),
      import('./backup.ts'),
    ]);
    await restoreCommand(loadConfig(), file, console.log);
  });

program
  .command('prune')
  .description("remove positions older than each team's retention setting (Settings: keep positions)")
  .option('--dry-run', 'say what would be removed, remove nothing')
  .option('--team <name>', 'one team (default: every team)')
  .action(async (opts: { dryRun?: boolean; team?: string }) => {
    const [{ loadConfig }, { withTarget }, { describePrune }] = await Promise.all([
      import('../app/config.ts'),
      import('./target.ts'),
      import('./backup.ts'),
    ]);
    const body = { dryRun: Boolean(opts.dryRun), ...(opts.team ? { team: opts.team } : {}) };
    const result = await withTarget<PruneResult>(loadConfig(), {
      viaServer: (api) => api.post('/api/admin/prune', body),
      direct: (s) => s.retention.prune(body),
    });
    console.log(describePrune(result));
  });

const tiles = program.command('tiles').description('offline map areas, kept in the data folder');
tiles
  .command('extract')
  .description('cut an area out of a PMTiles archive (a file or an http(s) URL) for offline use')
  .requiredOption(
    '--bbox <W,S,E,N>',
    'the box in degrees: west,south,east,north (west > east: across the antimeridian)',
  )
  .requiredOption('--from <source>', 'the PMTiles archive: a local path or an http(s) URL (range requests)')
  .option('--maxzoom <z>', 'the deepest zoom to keep', '15')
  .option('-o, --output <name|file>', 'an area name (kept in <data dir>/tiles) or a .pmtiles path')
  .option('--max-size <bytes>', 'refuse when the extract would be larger (e.g. 500M, 2G)')
  .option('--terrain <encoding>', 'elevation tiles: terrarium or mapbox, when the source does not say')
  .action(async (opts: ExtractCommandOptions) => {
    const [{ loadConfig }, { extractCommand }] = await Promise.all([
      import('../app/config.ts'),
      import('./tiles.ts'),
    ]);
    await extractCommand(loadConfig(), opts);
  });
tiles
  .command('list')
  .description('the prepared map areas, with size and zoom range')
  .action(async () => {
    const [{ loadConfig }, { listCommand }] = await Promise.all([
      import('../app/config.ts'),
      import('./tiles.ts'),
    ]);
    await listCommand(loadConfig());
  });
tiles
  .command('delete')
  .description('delete a prepared map area')
  .argument('<name>', "the area's name (howl tiles list)")
  .action(async (name: string) => {
    const [{ loadConfig }, { deleteCommand }] = await Promise.all([
      import('../app/config.ts'),
      import('./tiles.ts'),
    ]);
    await deleteCommand(loadConfig(), name);
  });

program
  .command('score')
  .description('score a tracking drill from two GPX or KML files, without a server')
  .argument('<runner>', 'the runner’s trail')
  .argument('<tracker>', 'the tracker’s path')
  .option('--tolerance <m>', 'the trail counts as followed within this distance (m)', '20')
  .option('--find-radius <m>', 'this close to the runner’s last position is a find (m)', '10')
  .option('--json', 'print the scores as JSON')
  .action(async (runner: string, tracker: string, opts: ScoreCommandOptions) => {
    const { scoreCommand } = await import('./score.ts');
    await scoreCommand(runner, tracker, opts);
  });

program
  .command('coverage')
  .description(
    'coverage and probability of detection of search segments from GPX or KML tracks, without a server',
  )
  .argument('<segments>', 'a GeoJSON Polygon or FeatureCollection of Polygons (the segments)')
  .argument('<tracks...>', 'GPX or KML files of the tracks walked (each track one searcher)')
  .requiredOption('--sweep-width <m>', 'the effective sweep width of the searchers (m)')
  .option('--prior-pod <p>', 'the POD of earlier searches of the segments (0–1): adds the cumulative POD')
  .option(
    '--max-gap <s>',
    'a step between positions further apart in time is not counted as walked (s)',
    '120',
  )
  .option('--json', 'print the figures as JSON')
  .action(async (segments: string, tracks: string[], opts: CoverageCommandOptions) => {
    const { coverageCommand } = await import('./coverage.ts');
    await coverageCommand(segments, tracks, opts);
  });

program
  .command('rings')
  .description(
    "distance rings around the initial planning point from the team's lost-person statistics (GeoJSON)",
  )
  .argument('<table>', 'CSV: category,p25_km,p50_km,… (docs/search-planning.md)')
  .requiredOption('--category <name>', 'the subject category')
  .requiredOption('--at <lat,lon>', 'the initial planning point')
  .action(async (table: string, opts: RingsCommandOptions) => {
    const { ringsCommand } = await import('./rings.ts');
    await ringsCommand(table, opts);
  });

program
  .command('demo')
  .description(
    'play the Hale House demo (a drill that turns real), on a throw-away database unless --data-dir',
  )
  .option('--speed <n>', 'story seconds per real second (1 = real time)', '1')
  .option('--data-dir <dir>', 'keep the demo database in this folder (to replay and export it afterwards)')
  .option('--headless', 'skip quiet stretches and stop at the end (no console needed)')
  .option('--json', 'print a JSON summary on stdout at the end (progress goes to stderr)')
  .action(async (opts: DemoOptions) => {
    const { demoCommand } = await import('./demo.ts');
    process.exitCode = await demoCommand(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  console.error(`howl: ${(e as Error).message}`);
  process.exit(1);
}
