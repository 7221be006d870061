// Start-up as a user waits for it, through `bin/howl.js` (the compiled dist/): `howl --help`, and `howl serve`
// on an existing embedded database until it prints where to go, then its RSS after 5 s at idle; beside a bare
// Node process doing nothing and a bare `http` server starting to listen.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BenchRow, quantile, rssMb } from './support.ts';

const RUNS = 5;
const READY = 'Howl is running';
const BARE_SERVER = `require('http').createServer((q,s)=>s.end()).listen(0,'127.0.0.1',()=>console.log(${JSON.stringify(READY)}))`;

/** Wall time from spawn to exit. */
async function untilExit(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: 'ignore' });
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  return performance.now() - t0;
}

/** Wall time from spawn until the process prints READY, and its RSS after `idleMs` more; then stopped. */
async function untilReady(
  args: string[],
  env: NodeJS.ProcessEnv,
  idleMs: number,
): Promise<{ ms: number; rss: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ms = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes(READY)) resolve(performance.now() - t0);
    });
    child.once('exit', (code) =>
      reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)),
    );
  });
  await new Promise((r) => setTimeout(r, idleMs));
  const rss = rssMb(child.pid ?? 0);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  return { ms, rss };
}

const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

export async function startupBench(): Promise<BenchRow[]> {
  process.stderr.write('start-up: howl --help, howl serve on an existing database…\n');
  const help: number[] = [];
  const bare: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    help.push(await untilExit(['bin/howl.js', '--help']));
    bare.push(await untilExit(['-e', '0']));
  }
  const dir = mkdtempSync(join(tmpdir(), 'howl-bench-start-'));
  const env = {
    HOWL_DATA_DIR: dir,
    DATABASE_URL: '',
    PORT: '0',
    HOWL_HTTPS_PORT: '0',
    HOWL_OSMAND_PORT: '0',
    HOWL_COT_PORT: '0',
    HOST: '127.0.0.1',
  };
  try {
    const created = await untilReady(['bin/howl.js', 'serve'], env, 0);
    const starts: { ms: number; rss: number }[] = [];
    const floors: { ms: number; rss: number }[] = [];
    for (let r = 0; r < 3; r++) {
      starts.push(await untilReady(['bin/howl.js', 'serve'], env, r === 0 ? 5000 : 0));
      floors.push(await untilReady(['-e', BARE_SERVER], {}, r === 0 ? 5000 : 0));
    }
    const start = median(starts.map((s) => s.ms));
    const idle = starts[0]?.rss ?? 0;
    return [
      {
        group: 'start-up',
        name: '`howl --help`',
        value: median(help),
        unit: 'ms',
        floor: median(bare),
        floorName: '`node -e 0`',
        detail: `median of ${RUNS}`,
        check: '',
        lost: false,
        target: '< 500 ms',
        met: median(help) < 500,
      },
      {
        group: 'start-up',
        name: '`howl serve` on an existing embedded database, to serving',
        value: start,
        unit: 'ms',
        floor: median(floors.map((s) => s.ms)),
        floorName: 'bare http server listening',
        detail: `median of 3; the first start (creating the database) ${created.ms.toFixed(0)} ms`,
        check: '',
        lost: false,
        target: '< 2 s',
        met: start < 2000,
      },
      {
        group: 'start-up',
        name: '`howl serve` RSS at idle (5 s after start)',
        value: idle,
        unit: 'MB',
        floor: floors[0]?.rss ?? 0,
        floorName: 'bare http server',
        detail: 'embedded database',
        check: '',
        lost: false,
        target: '< 250 MB',
        met: idle < 250,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
