import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Config, loadConfig } from '../app/config.ts';
import { type RunningHowl, startHowl } from '../app/start.ts';
import type { AddedMember } from '../contract/members.ts';
import { WEB_DIST, webAppBuilt } from '../server/paths.ts';
import type { Services } from '../services/services.ts';
import { FieldApi } from '../sim/clients/field-api.ts';
import { type Callsign, PACK, playHaleHouse } from '../sim/hale-house.ts';
import { buildSummary, type DemoSummary } from '../sim/summary.ts';
import type { TeamRow } from '../store/teams.repo.ts';

export interface DemoOptions {
  /** Story seconds per real second (default 1: real time). */
  speed?: string | number;
  /** Play without the console in mind: quiet stretches skipped, Howl stopped at the end. */
  headless?: boolean;
  /** Print the JSON summary on stdout at the end (progress goes to stderr). */
  json?: boolean;
  /** Keep the demo's database in this folder (HOWL_DATA_DIR does the same). */
  dataDir?: string;
}

const TEAM = 'Hale pack';

/**
 * `howl demo`: starts Howl on a throw-away embedded database, creates the Hale pack, and plays the
 * Hale House story through the real gateways; resolves with the exit code (1 when a step did not happen).
 */
export async function demoCommand(opts: DemoOptions): Promise<number> {
  const speed = Number(opts.speed ?? 1);
  if (!Number.isFinite(speed) || speed <= 0 || speed > 1000)
    throw new Error('--speed: a number above 0, at most 1000');
  const headless = opts.headless ?? false;
  const say = opts.json
    ? (line: string) => process.stderr.write(`${line}\n`)
    : (line: string) => console.log(line);

  // Never the user's PostgreSQL: the demo keeps to an embedded database, a temporary one unless HOWL_DATA_DIR names it.
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: '', HOWL_TEAM: TEAM };
  if (opts.dataDir) env.HOWL_DATA_DIR = resolve(opts.dataDir);
  const tempDir = env.HOWL_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), 'howl-demo-'));
  if (tempDir) env.HOWL_DATA_DIR = tempDir;
  const config = await freePorts(loadConfig(env), say);

  if (!headless && !webAppBuilt())
    say(
      `The web app is not built (no ${WEB_DIST}): the demo plays without its console. Build it with \`npm run build\`.`,
    );
  let howl: RunningHowl | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await howl?.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
  const onSignal = (signal: string) => {
    say(`\n${signal}: stopping the demo…`);
    void stop().finally(() => process.exit(130));
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  try {
    howl = await startHowl(config, {
      logger: headless ? false : { level: process.env.LOG_LEVEL ?? 'warn' },
    });
    const { team, members } = await createPack(howl);
    const link = await howl.services.sessions.createLoginLink(team, 'DEREK');
    say(
      [
        `Howl demo: "Training and reality at the old Hale House", at ${speed === 1 ? 'real time' : `${speed}× speed`}${headless ? ', headless' : ''}.`,
        `  Data:     ${tempDir ? `a throw-away embedded database in ${tempDir}` : config.dataDir}`,
        `  Console:  ${howl.urls.publicUrl}  (on this machine: http://localhost:${howl.ports.http})`,
        `  Sign in as Derek, the pack's leader, to watch it live (single-use link):`,
        `            ${link.url}`,
        ...(speed < 5 && !headless ? ['  (`npx howl demo --speed 10` plays it ten times faster.)'] : []),
        '',
      ].join('\n'),
    );
    const resendS = Math.max(5, Math.round(10 / speed));
    const result = await playHaleHouse({
      connection: {
        apiUrl: howl.localUrl,
        osmandUrl: `http://127.0.0.1:${howl.ports.osmand}`,
        cot: { host: '127.0.0.1', port: howl.ports.cot },
      },
      members,
      speed,
      headless,
      resendS,
      write: say,
    });
    const summary = await buildSummary(new FieldApi(howl.localUrl, members.DEREK.token));
    const failed = result.steps.filter((s) => !s.ok);
    say('');
    for (const line of describe(summary)) say(line);
    say(
      failed.length === 0
        ? `\nEvery step happened (${result.steps.length} checks), in ${result.playedS.toFixed(1)} s for ${(result.storyS / 3600).toFixed(1)} hours of story.`
        : `\n${failed.length} of ${result.steps.length} steps did not happen: ${failed.map((s) => s.name).join('; ')}`,
    );
    if (opts.json) console.log(JSON.stringify(summary, null, 2));
    const code = failed.length === 0 ? 0 : 1;
    if (headless) {
      await stop();
      return code;
    }
    const again = await howl.services.sessions.createLoginLink(team, 'DEREK');
    say(
      [
        '',
        `Howl keeps running so that you can look around (replay the trails, read the hot wash): ${howl.urls.publicUrl}`,
        `  A fresh sign-in link for Derek: ${again.url}`,
        `Ctrl-C stops it${tempDir ? ' and deletes the demo database' : ''}.`,
      ].join('\n'),
    );
    await new Promise<never>(() => undefined);
    return code;
  } catch (e) {
    await stop();
    throw e;
  } finally {
    if (headless) {
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    }
  }
}

/** The demo team and its six members; a team of that name from an earlier run stays, the new one gets a number. */
async function createPack(
  howl: RunningHowl,
): Promise<{ team: TeamRow; members: Record<Callsign, AddedMember> }> {
  const s: Services = howl.services;
  const admin = { kind: 'admin' } as const;
  let team: TeamRow | undefined;
  // A fresh database: Howl's first start made the team with a stand-in leader, whom Derek replaces.
  if (howl.firstLogin?.team === TEAM) team = await s.teams.resolveExisting(TEAM);
  for (let n = 2; !team; n++) {
    const name = n === 2 ? TEAM : `${TEAM} ${n - 1}`;
    if (!(await teamExists(s, name))) team = await s.teams.resolveForAdmin(name, name);
  }
  const members = {} as Record<Callsign, AddedMember>;
  for (const p of PACK) {
    members[p.callsign] = await s.members.add(admin, team, {
      name: p.name,
      callsign: p.callsign,
      role: p.role,
      ...(p.device && { device: p.device }),
    });
  }
  for (const m of await s.members.list(admin, team.id)) {
    if (!PACK.some((p) => p.callsign === m.callsign)) await s.members.remove(admin, team.id, m.id);
  }
  return { team, members };
}

async function teamExists(s: Services, name: string): Promise<boolean> {
  try {
    await s.teams.resolveExisting(name);
    return true;
  } catch {
    return false;
  }
}

/** The configured ports that are free; a busy one becomes 0 (any free port), and the user is told. */
async function freePorts(config: Config, say: (line: string) => void): Promise<Config> {
  const out = { ...config };
  for (const key of ['port', 'httpsPort', 'osmandPort', 'cotPort'] as const) {
    const port = out[key];
    if (port === 0 || (await portFree(port, config.host))) continue;
    say(`Port ${port} is busy (another Howl?): the demo takes a free one instead.`);
    out[key] = 0;
  }
  return out;
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** A few lines for people: what the API says happened. */
function describe(s: DemoSummary): string[] {
  const lines = ['What Howl recorded:'];
  for (const o of s.operations) {
    lines.push(
      `  ${o.kind} "${o.name}" (${o.mode})${o.escalatedFrom ? `, escalated from "${o.escalatedFrom}"` : ''}: ${o.endedAt ? 'ended' : 'suspended'}`,
    );
  }
  const byType = new Map<string, number>();
  for (const a of s.alerts)
    byType.set(`${a.type} (${a.mode})`, (byType.get(`${a.type} (${a.mode})`) ?? 0) + 1);
  lines.push(`  alerts: ${[...byType].map(([k, n]) => `${n} ${k}`).join(', ')}`);
  const esc = s.alerts.find((a) => a.type === 'escalation');
  if (esc) {
    const acks = Object.entries(esc.ackSeconds).map(([cs, sec]) => `${cs} ${sec} s`);
    lines.push(`  the REAL alert acknowledged by ${esc.acknowledgedBy.length}: ${acks.join(', ')}`);
  }
  for (const r of s.rollCalls) lines.push(`  roll call: ${r.accounted} of ${r.total} accounted for`);
  for (const c of s.casualties)
    lines.push(`  casualty: ${c.callsign}, ${c.triage}${c.recovered ? ', recovered' : ''}`);
  for (const c of s.contacts) lines.push(`  contact: ${c.count} hostiles, ${c.withdrawn} withdrawn`);
  for (const d of s.drills) {
    const scores = d.trackers.map((t) =>
      t.shareFollowed === null
        ? `${t.callsign} not scored (${t.problem ?? 'no track'})`
        : `${t.callsign} followed ${Math.round(t.shareFollowed * 100)} % of the trail, ${t.meanDeviationM} m off on average`,
    );
    lines.push(
      `  drill "${d.name}" (${d.light ?? 'light unknown'}), runner ${d.runner}: ${scores.join('; ')}`,
    );
  }
  return lines;
}
