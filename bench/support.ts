import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pg from 'pg';

export interface Ready {
  startMs: number;
  osmandPort: number;
  cotPort: number;
  httpPort: number;
  devices: string[];
  tokens: string[];
  teamId: string;
  database: string;
}

/** A Howl server in its own process (bench/server.ts), so that the load generator does not share its event loop. */
export function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; ready: Ready }> {
  // BENCH_PROFILE=DIR writes the server's CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'bench/server.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) =>
      resolve({ child, ready: JSON.parse(line) as Ready }),
    );
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** The value below which a share `p` of the sorted samples lie. */
export function quantile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

/** A Markdown table with padded columns. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * One line of the benchmark table: Howl's figure beside its floor (a bare program doing the same input and
 * output, measured in the same run), and the check that nothing acknowledged was lost.
 */
export interface BenchRow {
  /** The table's section: ingest, live, files, start-up. */
  group: string;
  name: string;
  value: number;
  unit: string;
  /** The floor's figure in the same unit, and what the floor is; null where there is none. */
  floor: number | null;
  floorName: string;
  /** p50/p99 and the like. */
  detail: string;
  /** What was counted afterwards, e.g. "41,286 stored = acknowledged". */
  check: string;
  /** The count did not match: something acknowledged was lost. */
  lost: boolean;
  /** The target, and whether this run met it. */
  target?: string;
  met?: boolean;
}

/** Howl's figure over the floor's: for a rate, the share of the floor reached; for a time, how many times slower. */
export function ratio(r: Pick<BenchRow, 'value' | 'floor'>): number | null {
  return r.floor ? r.value / r.floor : null;
}

/** A figure for the table: thousands separated, at most `digits` decimals. */
export function figure(v: number, unit: string, digits = v >= 100 ? 0 : 1): string {
  return `${v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

export const BENCH_HEAD = ['benchmark', 'Howl', 'floor', 'Howl ÷ floor', 'detail', 'check', 'target'];

/** The table's cells for a row. */
export function cells(r: BenchRow): string[] {
  const q = ratio(r);
  return [
    r.name,
    figure(r.value, r.unit),
    r.floor === null ? '—' : `${figure(r.floor, r.unit)} (${r.floorName})`,
    q === null ? '—' : q.toFixed(2),
    r.detail,
    r.lost ? `LOST: ${r.check}` : r.check,
    r.target ? `${r.target}: ${r.met ? 'met' : 'MISSED'}` : '',
  ];
}

/** A benchmark helper (a load generator, a floor server) in a process of its own; resolves its first JSON line. */
export function spawnJson<T>(
  script: string,
  args: string[] = [],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; first: Promise<T>; last: Promise<T> } {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = new Promise<T>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    rl.once('line', (line) => resolve(JSON.parse(line) as T));
  });
  rl.on('line', (line) => lines.push(line));
  const last = new Promise<T>((resolve, reject) =>
    child.once('exit', (code) => {
      const line = lines.at(-1);
      if (code === 0 && line) resolve(JSON.parse(line) as T);
      else reject(new Error(`${script} exited with ${code}`));
    }),
  );
  first.catch(() => undefined);
  last.catch(() => undefined);
  return { child, first, last };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A database of its own on the PostgreSQL server of `pgUrl`, dropped by `drop`. */
export async function scratchPostgres(pgUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `howl_bench_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
