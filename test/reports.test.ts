// The after-action report and the event export: an exercise that turns real, recorded through the real
// services, then its PDF (read back with poppler's pdftotext and pdfinfo, page 1 rendered with pdftoppm) and
// its CSV fetched over HTTP; the same through the admin route `howl export` uses; and bad requests.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import { destination, type Point } from '../src/domain/geo.ts';
import type { MemberAuth } from '../src/services/core/auth.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { ADMIN_SECRET } from './support/harness.ts';
import { canRun, hasCommand } from './support/requirements.ts';
import { useHarness } from './support/setup.ts';

const START = Date.parse('2026-11-25T16:00:00Z');
const BASE: Point = { lat: 45.5231, lon: -122.6765 };
const PACK = ['DEREK', 'SCOTT', 'ISAAC', 'STILES'] as const;
type Callsign = (typeof PACK)[number];
const poppler = canRun(
  'PDF report tests',
  hasCommand('pdftotext', ['-v']) ? undefined : 'pdftotext (poppler-utils) is not installed',
  'install it: apt-get install poppler-utils',
);
const out = mkdtempSync(join(tmpdir(), 'howl-report-'));
const pdfText = (pdf: Buffer, ...args: string[]) => {
  const file = join(out, `r-${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  return { text: execFileSync('pdftotext', ['-layout', ...args, file, '-']).toString(), file };
};

describe.skipIf(!poppler).each(engines)('the after-action report on $name', (engine) => {
  const clock = new FakeClock(START);
  const { h } = useHarness(engine, { clock });
  const m = {} as Record<Callsign, AddedMember>;
  const as = {} as Record<Callsign, MemberAuth>;
  let exerciseId = '';
  let incidentId = '';
  let outsider: AddedMember;

  const get = (url: string, who: AddedMember) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who.token}` } });

  beforeAll(async () => {
    for (const cs of PACK) {
      m[cs] = await h.addMember('Hale pack', cs, { role: cs === 'DEREK' ? 'leader' : 'member' });
      const auth = await h.services.tokens.authenticate(m[cs].token, ['device']);
      if (!auth) throw new Error(`no auth for ${cs}`);
      as[cs] = auth;
    }
    outsider = await h.addMember('Other pack', 'OTHER', { role: 'leader' });
    const teamId = m.DEREK.teamId;
    await h.services.teams.update(as.DEREK, teamId, { base: BASE });
    const walk = async (seconds: number) => {
      for (let s = 0; s < seconds; s += 5) {
        clock.ms += 5000;
        for (const [i, cs] of PACK.entries())
          await h.services.positions.reportFromDevice({
            deviceId: m[cs].device,
            time: clock.now(),
            ...destination(BASE, i * 80, 20 + (i * (clock.ms - START)) / 1000),
            accuracyM: 6,
            source: 'osmand',
          });
      }
    };
    const ex = await h.services.operations.createExercise(as.DEREK, teamId, {
      name: 'Mock attack at the Hale House',
      scenario: 'Hostiles near the old house; find and track the runner.',
    });
    exerciseId = ex.id;
    await h.services.operations.act(as.DEREK, teamId, ex.id, 'start');
    await walk(60);
    await h.services.contacts.report(as.ISAAC, teamId, { count: 3, position: destination(BASE, 30, 400) });
    await walk(30);
    const incident = await h.services.operations.escalate(
      as.SCOTT,
      teamId,
      'Real hostiles on the trail',
      BASE,
    );
    incidentId = incident.id;
    const alert = (await h.services.alerts.list(as.DEREK, teamId)).find((a) => a.type === 'escalation');
    if (!alert) throw new Error('no escalation alert');
    await walk(15);
    for (const cs of ['DEREK', 'ISAAC', 'STILES'] as const)
      await h.services.alerts.acknowledge(as[cs], alert.id);
    await walk(20);
    for (const cs of PACK) await h.services.incidents.answerRollCall(as[cs], teamId, { status: 'ok' });
    await h.services.incidents.addCasualty(as.DEREK, teamId, {
      memberId: m.STILES.memberId,
      triage: 'yellow',
      injuries: 'twisted ankle',
    });
    await walk(30);
    await h.services.operations.close(
      as.DEREK,
      teamId,
      incident.id,
      'All safe; =cmd| a formula in the notes',
    );
    await h.services.hotWash.save(as.DEREK, teamId, exerciseId, {
      wentWell: 'Everyone acknowledged within 35 seconds.',
      toImprove: 'SCOTT never acknowledged: check his phone settings.',
    });
    await h.services.hotWash.addAction(as.DEREK, teamId, exerciseId, {
      text: 'Test every phone alarm before the next drill',
      ownerId: m.SCOTT.memberId,
      dueOn: '2026-12-10',
    });
  }, 120_000);

  it('prints a multi-page PDF with the operation, every callsign and the statistics', async () => {
    const res = await get(`/api/operations/${exerciseId}/report.pdf`, m.SCOTT);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="howl-mock-attack-at-the-hale-house-.*\.pdf"/,
    );
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { text, file } = pdfText(pdf);
    expect(text).toContain('REAL WORLD');
    expect(text).toContain('Mock attack at the Hale House');
    expect(text).toContain('Real hostiles on the trail');
    for (const cs of PACK) expect(text).toContain(cs);
    expect(text).toMatch(/Turned real: \d\d:\d\d:\d\d/);
    expect(text).toMatch(/All accounted for: \d+ s after/);
    expect(text).toContain('twisted ankle');
    expect(text).toContain('All safe');
    expect(text).toContain('Everyone acknowledged within 35 seconds.');
    expect(text).toMatch(/Test every phone alarm before the next drill\s+SCOTT\s+2026-12-10\s+no/);
    const info = execFileSync('pdfinfo', [file]).toString();
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(4);
    expect(info).toMatch(/Page size:\s+595\.\d* x 841\.\d* pts \(A4\)/);
    // Page 1, as an image to look at.
    mkdirSync('test-results', { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '60',
      '-f',
      '1',
      '-l',
      '3',
      file,
      join('test-results', 'report'),
    ]);
  });

  it('prints on Letter paper when asked, and refuses a paper it does not know', async () => {
    const res = await get(`/api/operations/${incidentId}/report.pdf?paper=letter`, m.DEREK);
    expect(res.statusCode).toBe(200);
    const info = execFileSync('pdfinfo', [pdfText(res.rawPayload).file]).toString();
    expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    const bad = await get(`/api/operations/${incidentId}/report.pdf?paper=a3`, m.DEREK);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^paper/);
  });

  it('exports every event in order as CSV with time, seq, type, mode and who, formulas defused', async () => {
    const res = await get(`/api/operations/${exerciseId}/export.csv`, m.ISAAC);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,seq,type,mode,who,text');
    const seqs = lines.slice(1).map((l) => Number(l.split(',')[1]));
    expect(seqs.length).toBeGreaterThan(10);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(lines.some((l) => /,real,SCOTT,/.test(l) || /,real,/.test(l))).toBe(true);
    expect(lines.some((l) => /,exercise,/.test(l))).toBe(true);
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,/.test(l))).toBe(true);
    expect(res.body).not.toMatch(/,=cmd/);
  });

  it('exports through the admin route (howl export), latest included', async () => {
    const post = (payload: object) =>
      h.app.inject({
        method: 'POST',
        url: '/api/admin/exports',
        headers: { authorization: `Bearer ${ADMIN_SECRET}` },
        payload,
      });
    const latest = await post({ operation: 'latest', format: 'pdf', team: 'Hale pack' });
    expect(latest.statusCode).toBe(200);
    expect(pdfText(latest.rawPayload).text).toContain('Mock attack at the Hale House');
    const gpx = await post({ operation: exerciseId, format: 'gpx', team: 'Hale pack' });
    expect(gpx.statusCode).toBe(200);
    expect(gpx.body).toContain('<gpx');
    const bad = await post({ operation: 'newest', format: 'pdf' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^operation/);
    const badFormat = await post({ operation: 'latest', format: 'docx', team: 'Hale pack' });
    expect(badFormat.json().error.message).toMatch(/^format/);
  });

  it("answers 404 for an unknown operation or another team's, and a report that says so without positions", async () => {
    expect(
      (await get('/api/operations/5b1d1f0e-8c5e-4c39-9a2f-1f6f4a1f2b3c/report.pdf', m.DEREK)).statusCode,
    ).toBe(404);
    expect((await get(`/api/operations/${exerciseId}/report.pdf`, outsider)).statusCode).toBe(404);
    expect((await get(`/api/operations/${exerciseId}/export.csv`, outsider)).statusCode).toBe(404);
    expect((await get('/api/operations/not-a-uuid/export.csv', m.DEREK)).statusCode).toBe(400);
    const other = await h.services.tokens.authenticate(outsider.token, ['device']);
    if (!other) throw new Error('no auth');
    const empty = await h.services.operations.createExercise(other, outsider.teamId, { name: 'Nobody came' });
    const res = await get(`/api/operations/${empty.id}/report.pdf`, outsider);
    expect(res.statusCode).toBe(200);
    expect(pdfText(res.rawPayload).text).toContain('No positions were recorded in this window.');
  });
});
