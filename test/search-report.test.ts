// The after-action report's search section: each segment's coverage and POD, read back from the PDF with
// poppler's pdftotext.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AddedMember } from '../src/contract/members.ts';
import type { SearchSegment } from '../src/contract/search.ts';
import { localFrame } from '../src/domain/search-geometry.fixtures.ts';
import { FakeClock } from './support/clock.ts';
import { engines } from './support/engines.ts';
import { canRun, hasCommand } from './support/requirements.ts';
import { useHarness } from './support/setup.ts';

const START = Date.parse('2026-12-06T09:00:00Z');
const poppler = canRun(
  'search report tests',
  hasCommand('pdftotext', ['-v']) ? undefined : 'pdftotext (poppler-utils) is not installed',
  'install it: apt-get install poppler-utils',
);
const out = mkdtempSync(join(tmpdir(), 'howl-search-report-'));
const bearer = (m: AddedMember) => ({ authorization: `Bearer ${m.token}` });
const frame = localFrame({ lat: 51.05, lon: -1.31 });

describe.skipIf(!poppler).each(engines)(
  'the search section of the after-action report on $name',
  (engine) => {
    const clock = new FakeClock(START);
    const { h } = useHarness(engine, { clock, resetBeforeEach: true });

    it("lists each segment's coverage and POD", async () => {
      const lead = await h.addMember('Pack', 'DEREK', { role: 'leader' });
      const scott = await h.addMember('Pack', 'SCOTT');
      const call = (method: 'POST' | 'PUT' | 'GET', url: string, who: AddedMember, payload?: object) =>
        h.app.inject({ method, url, headers: bearer(who), ...(payload ? { payload } : {}) });
      const inc = await call('POST', '/api/callouts', lead, { name: 'Missing walker' });
      const id = inc.json().id as string;
      const made = await call('POST', `/api/operations/${id}/search/segments`, lead, {
        name: 'North wood',
        polygon: frame.rectangle(200, 300),
      });
      const segment = made.json() as SearchSegment;
      await call('POST', `/api/operations/${id}/search/segments`, lead, {
        name: 'Meadow',
        polygon: localFrame(frame.at(500, 0)).rectangle(200, 300),
      });
      await call('PUT', `/api/operations/${id}/search/poa`, lead, {
        method: 'direct',
        segments: { [segment.id]: 0.5 },
      });
      const assigned = await call('POST', `/api/operations/${id}/search/assignments`, lead, {
        segmentId: segment.id,
        memberIds: [scott.memberId],
        resourceType: 'grid ground',
        sweepWidthM: 50,
      });
      expect(assigned.statusCode, assigned.body).toBe(201);
      // Two lanes 100 m apart across the 200 m × 300 m wood: L = 600 m, C = 50·600/60 000 = 0.5, POD = 39 %.
      const walk = frame.walk(
        [
          [-50, -200],
          [-50, 200],
          [50, 200],
          [50, -200],
        ],
        100,
        START + 1000,
      );
      for (const p of walk) {
        const res = await call('POST', '/api/positions', scott, {
          lat: p.lat,
          lon: p.lon,
          time: new Date(p.timeMs).toISOString(),
        });
        expect(res.statusCode).toBe(200);
      }
      clock.ms = START + 600_000;
      const pdf = await call('GET', `/api/operations/${id}/report.pdf`, lead);
      expect(pdf.statusCode).toBe(200);
      const file = join(out, `${engine.name}.pdf`);
      writeFileSync(file, pdf.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
      expect(text).toContain('Search segments');
      expect(text).toMatch(/North wood\s+6\.0 ha\s+50 %\s+0\.50\s+39 %\s+39 %\s+38 %\s+SCOTT/);
      expect(text).toMatch(/Meadow\s+6\.0 ha\s+0 ?%\s+0\.00\s+0 ?%\s+0 ?%\s+0 ?%/);
    });
  },
);
