// `npm run bench`: one table of Howl's figures, each beside its floor (a bare program doing the same input and
// output, measured in the same run), with the check that nothing acknowledged was lost and the targets; also
// written to bench/results.json. `BENCH_ONLY=ingest,cot,mqtt,alerts,fanout,files,startup,cluster` runs a part (printed only).
// See docs/performance.md for how to read it.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { alertDelivery } from './alert-delivery.ts';
import { clusterBench } from './cluster.ts';
import { cotThroughput } from './cot.ts';
import { drillScoreBench } from './drill-score.ts';
import { fanoutBench } from './fanout.ts';
import { gpxParseBench } from './gpx-parse.ts';
import { ingestBench } from './ingest.ts';
import { owntracksThroughput } from './owntracks.ts';
import { replayBench } from './replay.ts';
import { startupBench } from './startup.ts';
import { BENCH_HEAD, type BenchRow, cells, ratio, table } from './support.ts';

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const mqttUrl = process.env.BENCH_MQTT_URL || process.env.HOWL_TEST_MQTT_URL;
const parts: [string, () => Promise<BenchRow[]>][] = [
  ['ingest', ingestBench],
  ['cot', cotThroughput],
  ...(mqttUrl ? [['mqtt', owntracksThroughput] as [string, () => Promise<BenchRow[]>]] : []),
  ['alerts', alertDelivery],
  ['fanout', fanoutBench],
  ['files', async () => [...(await drillScoreBench()), ...(await gpxParseBench()), ...(await replayBench())]],
  ['startup', startupBench],
  ['cluster', clusterBench],
];
if (!mqttUrl) process.stderr.write('OwnTracks MQTT skipped: set HOWL_TEST_MQTT_URL (or BENCH_MQTT_URL)\n');

const rows: BenchRow[] = [];
for (const [name, run] of parts) {
  if (only && !only.includes(name)) continue;
  rows.push(...(await run()));
}

const lines: string[][] = [];
let group = '';
for (const r of rows) {
  if (r.group !== group) {
    group = r.group;
    lines.push([`**${group}**`, '', '', '', '', '', '']);
  }
  lines.push(cells(r));
}
console.log(table(BENCH_HEAD, lines));
const targets = rows.filter((r) => r.target);
console.log(
  `\ntargets met: ${targets.filter((r) => r.met).length} of ${targets.length}; rows with a loss: ${rows.filter((r) => r.lost).length}`,
);
// A part (BENCH_ONLY) is printed only: bench/results.json always holds a whole run.
if (only) process.exit(0);
writeFileSync(
  new URL('./results.json', import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      rows: rows.map((r) => ({ ...r, ratio: ratio(r) })),
    },
    null,
    2,
  )}\n`,
);
process.stderr.write('written: bench/results.json\n');
