// The Hale House demo as CI runs it: a real `howl demo` process, headless at 120× speed, its JSON
// summary checked step by step against the story of issue 7.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Mode } from '../src/contract/common.ts';
import { Light } from '../src/contract/drills.ts';
import { PACKAGE_ROOT } from '../src/server/paths.ts';
import type { DemoSummary } from '../src/sim/summary.ts';
import { hasCommand } from './support/requirements.ts';

const PACK = ['DEREK', 'SCOTT', 'ISAAC', 'STILES', 'ALLISON', 'LYDIA'];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function demo(dataDir: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        join(PACKAGE_ROOT, 'bin', 'howl.js'),
        'demo',
        '--headless',
        '--speed',
        '120',
        '--json',
        '--data-dir',
        dataDir,
      ],
      {
        cwd: PACKAGE_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: '',
          HOWL_DATA_DIR: '',
          PORT: '0',
          HOWL_HTTPS_PORT: '0',
          HOWL_OSMAND_PORT: '0',
          HOWL_COT_PORT: '0',
          HOST: '127.0.0.1',
        },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('howl demo --headless --speed 120 --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'howl-demo-test-'));
  let run: Run;
  let s: DemoSummary;

  beforeAll(async () => {
    run = await demo(dir);
    if (run.code !== 0) console.error(run.stderr);
    s = JSON.parse(run.stdout) as DemoSummary;
  }, 150_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the story in --data-dir, so that `howl export latest` prints its report afterwards', async () => {
    const pdf = join(dir, 'hale-house.pdf');
    const csv = join(dir, 'hale-house.csv');
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [join(PACKAGE_ROOT, 'bin', 'howl.js'), ...args], {
        cwd: PACKAGE_ROOT,
        env: { ...process.env, DATABASE_URL: '', HOWL_DATA_DIR: dir },
      });
    expect((await run(['export', 'latest', '--format', 'pdf', '-o', pdf])).stdout).toBe(`Wrote ${pdf}\n`);
    await run(['export', 'latest', '--format', 'csv', '-o', csv]);
    if (hasCommand('pdftotext', ['-v'])) {
      const text = execFileSync('pdftotext', [pdf, '-']).toString();
      expect(text).toContain('REAL WORLD');
      for (const cs of ['DEREK', 'SCOTT', 'ISAAC', 'STILES', 'ALLISON', 'LYDIA']) expect(text).toContain(cs);
    }
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(csv, 'utf8').split('\r\n').length).toBeGreaterThan(20);
    await expect(run(['export', 'nonsense', '--format', 'pdf'])).rejects.toMatchObject({
      stderr: expect.stringMatching(/^howl: OPERATION: /),
    });
  }, 60_000);

  it('plays the whole story, every step checked', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/Every step happened/);
    expect(run.stderr).not.toMatch(/MISSING/);
    expect(run.stderr).toMatch(/\[\d\d:\d\d\] Isaac reports contact: six hostiles/);
    // Every gateway carries someone: the field page, Traccar Client, ATAK and OwnTracks in HTTP mode.
    expect(run.stderr).toMatch(
      /field page \(Derek Hale, Stiles Stilinski\), Traccar Client \(Scott McCall, Isaac Lahey\), ATAK \(Lydia Martin\), OwnTracks over HTTP \(Allison Argent\)/,
    );
    expect(run.stderr).toMatch(/ALLISON owntracks, LYDIA cot/);
    expect(run.stderr).toMatch(
      /✓ Allison Argent's positions arrive over OwnTracks HTTP and the app gets teammates back \(.*5 of 5 teammates shown/,
    );
    expect(run.stderr).not.toMatch(/no OwnTracks gateway yet/);
  });

  it('1. the mock attack was an exercise, escalated to a real incident that was closed', () => {
    expect(s.operations).toHaveLength(2);
    const [exercise, incident] = s.operations;
    expect(exercise).toMatchObject({ kind: 'exercise', mode: 'exercise', endedAt: null });
    expect(exercise?.startedAt).toEqual(expect.any(String));
    expect(exercise).not.toHaveProperty('escalatedFrom');
    expect(incident).toMatchObject({ kind: 'incident', mode: 'real', escalatedFrom: exercise?.name });
    expect(incident?.endedAt).toEqual(expect.any(String));
    expect(Date.parse(incident?.startedAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(exercise?.startedAt ?? ''),
    );
  });

  it("2. Isaac's contact inside the running exercise was exercise traffic; Stiles did not acknowledge it", () => {
    const contact = s.alerts.find((a) => a.type === 'contact' && a.mode === 'exercise');
    expect(contact).toMatchObject({ from: 'ISAAC' });
    expect(contact?.acknowledgedBy).not.toContain('STILES');
  });

  it('3. the escalation was real, every member acknowledged it, Stiles last', () => {
    const escalation = s.alerts.filter((a) => a.type === 'escalation');
    expect(escalation).toHaveLength(1);
    const e = escalation[0];
    expect(e).toMatchObject({ mode: 'real', from: 'DEREK' });
    expect([...(e?.acknowledgedBy ?? [])].sort()).toEqual([...PACK].sort());
    const seconds = e?.ackSeconds ?? {};
    expect(Object.keys(seconds).sort()).toEqual([...PACK].sort());
    const stiles = seconds.STILES ?? 0;
    for (const cs of PACK.filter((x) => x !== 'STILES')) expect(seconds[cs]).toBeLessThan(stiles);
    // He waited for at least one re-send (every 5 s at this speed).
    expect(stiles).toBeGreaterThanOrEqual(5);
  });

  it('4. the hostiles were reported again for real: six, three of them withdrawn', () => {
    expect(s.alerts.find((a) => a.type === 'contact' && a.mode === 'real')).toBeDefined();
    expect(s.contacts).toContainEqual({ count: 6, withdrawn: 3 });
    expect(s.contacts).toContainEqual({ count: 6, withdrawn: 0 });
  });

  it('5. every roll call accounted for all six', () => {
    expect(s.rollCalls.length).toBeGreaterThanOrEqual(1);
    for (const rc of s.rollCalls) expect(rc).toEqual({ accounted: 6, total: 6, unaccounted: [] });
  });

  it('6. Derek was a red casualty and recovered', () => {
    expect(s.casualties).toEqual([{ callsign: 'DEREK', triage: 'red', recovered: true }]);
  });

  it('7. every alert carries a mode', () => {
    for (const a of s.alerts) expect(Mode.options).toContain(a.mode);
  });

  it('8. the mock attack was a tracking drill: suspended, yet its live trails were kept and scored', () => {
    expect(s.drills).toHaveLength(1);
    const drill = s.drills[0];
    expect(drill).toMatchObject({
      name: 'Mock attack at the Hale House',
      state: 'suspended',
      runner: 'STILES',
    });
    expect(Light.options).toContain(drill?.light);
    expect(drill?.trackers.map((t) => t.callsign).sort()).toEqual(['ISAAC', 'SCOTT']);
    for (const t of drill?.trackers ?? []) {
      expect(t.problem).toBeNull();
      // They lost him in the woods: far from all of the trail followed.
      expect(t.shareFollowed).toBeGreaterThanOrEqual(0);
      expect(t.shareFollowed).toBeLessThan(0.9);
      expect(t.trackerDistanceM).toBeGreaterThan(0);
    }
  });

  it('keeps its database where --data-dir says, for export afterwards', () => {
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});
