// A Howl server for the benchmarks, in its own process: prints one JSON line when ready.
import { loadConfig } from '../src/app/config.ts';
import { startHowl } from '../src/app/start.ts';
import { stopOnSignals } from '../src/app/stop-on-signals.ts';

const t0 = performance.now();
const howl = await startHowl(
  loadConfig({
    // The benchmarks and the fault tests measure what the server can take: no rate limits unless asked for.
    HOWL_LIMIT_DEVICE_PER_S: 'off',
    HOWL_LIMIT_ADDRESS_PER_S: 'off',
    HOWL_LIMIT_TOKEN_PER_S: 'off',
    ...process.env,
    PORT: '0',
    HOWL_HTTPS_PORT: '0',
    HOWL_OSMAND_PORT: '0',
    HOWL_COT_PORT: '0',
    HOST: '127.0.0.1',
  }),
  {
    logger: false,
    webDir: null,
  },
);
const team = await howl.services.teams.resolveExisting(undefined);
const devices: string[] = [];
const tokens: string[] = [];
// 0 on a restart over the same data: the members made by the first start are there, with their tokens.
const n = Number(process.env.BENCH_DEVICES ?? 50);
for (let i = 0; i < n; i++) {
  const m = await howl.services.members.add({ kind: 'admin' }, team, {
    name: `Bench ${i}`,
    callsign: `B${i}`,
    // A device id both TAK (uid) and OwnTracks (topic `BASE/bench/<i>` → `bench-<i>`) can speak for.
    device: `bench-${i}`,
  });
  devices.push(m.device);
  tokens.push(m.token);
}
process.stdout.write(
  `${JSON.stringify({
    startMs: performance.now() - t0,
    osmandPort: howl.ports.osmand,
    cotPort: howl.ports.cot,
    httpPort: howl.ports.http,
    tokens,
    devices,
    teamId: team.id,
    database: howl.database,
  })}\n`,
);
stopOnSignals(howl);
