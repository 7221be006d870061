import PDFDocument from 'pdfkit';
import { clockTime, formatDuration } from '../domain/duration.ts';
import { formatDistance, type Point } from '../domain/geo.ts';
import type { OperationStats } from '../domain/operation-stats.ts';
import type { MemberTrack } from '../domain/replay-tracks.ts';
import type { Mode } from '../domain/vocabulary.ts';
import { pdfText } from './pdf-text.ts';
import { bars, chart, lines, steps } from './report-pdf-charts.ts';
import { trackMap } from './report-pdf-map.ts';
import { type Doc, GRID, INK, MUTED, width } from './report-pdf-style.ts';

/** Everything the after-action report prints, already worded (the service gathers it from the replay). */
export interface ReportData {
  team: string;
  /** The operations of the report, in order (an exercise and the incident it turned into). */
  operations: ReadonlyArray<{
    kind: 'exercise' | 'incident';
    state: string;
    name: string;
    scenario: string;
    startedAt: string | null;
    endedAt: string | null;
    summary: string | null;
    closeOverride: string | null;
  }>;
  fromMs: number;
  toMs: number;
  members: ReadonlyArray<{ id: string; callsign: string; name: string }>;
  tracks: readonly MemberTrack[];
  base: Point | null;
  stats: OperationStats;
  /** The key events, in order, each as one line in the console's words. */
  events: ReadonlyArray<{ timeMs: number; mode: Mode; line: string }>;
  casualties: ReadonlyArray<{ callsign: string; triage: string; injuries: string; care: string[] }>;
  contacts: ReadonlyArray<{ mode: Mode; count: number; withdrawn: number; text: string; timeMs: number }>;
  /** The search segments of the operations, with their coverage and POD at the end of the window. */
  search: ReadonlyArray<{
    name: string;
    areaM2: number;
    poa: number | null;
    coverage: number;
    pod: number;
    cumulativePod: number;
    currentPoa: number | null;
    searchers: string;
  }>;
  /** The hot wash, if one was written, and its corrective actions. */
  hotWash: {
    wentWell: string;
    toImprove: string;
    actions: ReadonlyArray<{ text: string; owner: string | null; dueOn: string | null; done: boolean }>;
  } | null;
  generatedAt: Date;
}

export type Paper = 'a4' | 'letter';

const PALETTE = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080', '#9a6324', '#800000'];
const REAL = '#c8102e';
const EXERCISE = '#1f5fbf';

/**
 * The after-action report as a PDF: a cover with the mode unmistakable, the tracks drawn as vectors on a
 * grid, the statistics with their plots, the key events, casualties and contacts, and the closing notes.
 * Text is set in the PDF's built-in Helvetica (nothing to download): characters it cannot draw become "?".
 */
export function reportPdf(r: ReportData, paper: Paper = 'a4'): Promise<Buffer> {
  const doc = new PDFDocument({
    size: paper === 'a4' ? 'A4' : 'LETTER',
    margin: 48,
    bufferPages: true,
    info: { Title: `${titleOf(r)} - after-action report`, Author: 'Howl', Creator: 'Howl' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const colors = new Map(r.members.map((m, i) => [m.id, PALETTE[i % PALETTE.length] ?? INK]));
  cover(doc, r);
  doc.addPage();
  heading(doc, 'The tracks');
  trackMap(doc, r, colors);
  doc.addPage();
  heading(doc, 'Statistics');
  statistics(doc, r, colors);
  doc.addPage();
  heading(doc, 'Key events');
  events(doc, r);
  casualtiesAndContacts(doc, r);
  if (r.search.length > 0) searchSegments(doc, r);
  notes(doc, r);
  footers(doc, r);
  doc.end();
  return done;
}

const real = (r: ReportData) => r.operations.some((o) => o.kind === 'incident');
const titleOf = (r: ReportData) => pdfText(r.operations.map((o) => o.name).join(' -> ') || r.team);

function heading(doc: Doc, text: string) {
  doc.font('Helvetica-Bold').fontSize(16).fillColor(INK).text(text);
  doc.moveDown(0.4);
}

function cover(doc: Doc, r: ReportData) {
  const w = width(doc);
  const x = doc.page.margins.left;
  const band = real(r) ? REAL : EXERCISE;
  doc.rect(x, 48, w, 56).fill(band);
  doc
    .font('Helvetica-Bold')
    .fontSize(22)
    .fillColor('#ffffff')
    .text(real(r) ? 'REAL WORLD' : 'EXERCISE EXERCISE EXERCISE', x + 14, 64, { width: w - 28 });
  doc.y = 130;
  doc.font('Helvetica').fontSize(11).fillColor(MUTED).text('After-action report', x);
  doc.font('Helvetica-Bold').fontSize(24).fillColor(INK).text(titleOf(r), { width: w });
  doc.moveDown(0.3);
  doc
    .font('Helvetica')
    .fontSize(12)
    .fillColor(INK)
    .text(`Team: ${pdfText(r.team)}`);
  for (const o of r.operations) {
    const kind = o.kind === 'incident' ? 'REAL incident' : 'Exercise';
    const when = `${o.startedAt ? dateTime(o.startedAt) : 'not started'} to ${o.endedAt ? dateTime(o.endedAt) : o.state === 'suspended' ? 'suspended by the incident' : 'still open'}`;
    doc
      .fillColor(o.kind === 'incident' ? REAL : EXERCISE)
      .text(`${kind}: ${pdfText(o.name)}`, { continued: true });
    doc.fillColor(MUTED).text(`   ${when}`);
  }
  doc.moveDown();
  const s = r.stats;
  const facts: Array<[string, string]> = [
    ['Window', `${dateTime(r.fromMs)} to ${dateTime(r.toMs)} (${formatDuration(s.durationMs / 1000)})`],
    ['Members', String(r.members.length)],
    ['Turned real', s.realAtMs === null ? 'never: an exercise throughout' : clockTime(s.realAtMs)],
    [
      'All accounted for',
      s.allAccountedAfterMs === null
        ? 'not recorded'
        : `${formatDuration(s.allAccountedAfterMs / 1000)} after`,
    ],
    ['Alerts', `${s.alerts.length} (${s.alerts.filter((a) => a.mode === 'real').length} real)`],
    ['Positions', String(r.tracks.reduce((n, t) => n + t.t.length, 0))],
  ];
  for (const [k, v] of facts) {
    doc.font('Helvetica-Bold').fillColor(INK).text(`${k}: `, { continued: true });
    doc.font('Helvetica').text(v);
  }
  const scenario = r.operations
    .map((o) => o.scenario)
    .filter(Boolean)
    .join('\n\n');
  if (scenario) {
    doc.moveDown();
    doc.font('Helvetica-Bold').text('Scenario');
    doc.font('Helvetica').fillColor(MUTED).text(pdfText(scenario), { width: w });
  }
  doc.moveDown(2);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text(`Made by Howl on ${dateTime(r.generatedAt.getTime())}.`);
}

function statistics(doc: Doc, r: ReportData, colors: Map<string, string>) {
  const d = (ms: number | null) => (ms === null ? '-' : formatDuration(ms / 1000));
  table(
    doc,
    ['Member', 'Moved', 'Acknowledged', 'Accounted', 'Stale', 'Separated', 'Unaccounted'],
    r.stats.members.map((m) => [
      m.callsign,
      formatDistance(m.distanceM),
      d(m.ackAfterMs),
      d(m.accountedAfterMs),
      d(m.staleMs),
      d(m.separatedMs),
      d(m.unaccountedMs),
    ]),
  );
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor(MUTED)
    .text('Acknowledged and accounted: after the alert that made it real.');
  doc.moveDown();
  const acked = r.stats.members.filter((m) => m.ackAfterMs !== null);
  chart(
    doc,
    'Acknowledgement of the real alert (seconds)',
    (area) =>
      bars(
        doc,
        area,
        acked.map((m) => ({
          label: m.callsign,
          value: (m.ackAfterMs ?? 0) / 1000,
          color: colors.get(m.memberId) ?? INK,
        })),
      ),
    acked.length === 0 ? 'Nobody acknowledged a real alert.' : null,
  );
  const acc = r.stats.accounted;
  chart(
    doc,
    `Members accounted for (of ${acc.total})`,
    (area) => steps(doc, area, r, acc.timesMs, acc.values, acc.total),
    acc.timesMs.length === 0 ? 'No roll call in this window.' : null,
  );
  const toBase = r.stats.members.map((m, i) => ({
    label: m.callsign,
    color: colors.get(m.memberId) ?? INK,
    values: r.stats.toBase.metres[i] ?? [],
  }));
  chart(
    doc,
    'Distance to the base (m)',
    (area) => lines(doc, area, r, r.stats.toBase.timesMs, toBase),
    r.stats.toBase.timesMs.length === 0 ? 'The team has no base set.' : null,
  );
  doc.addPage();
  heading(doc, 'Alerts');
  table(
    doc,
    ['Raised', 'Alert', 'Mode', 'Acknowledged', 'First', 'Median'],
    r.stats.alerts.map((a) => [
      clockTime(a.raisedAtMs),
      a.type.replace('_', ' '),
      a.mode === 'real' ? 'REAL' : 'EXERCISE',
      String(a.acknowledged),
      d(a.firstAckMs),
      d(a.medianAckMs),
    ]),
  );
}

/** A table with one line per row (longer text ends in an ellipsis); `weights` share the width out. */
function table(
  doc: Doc,
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  weights: readonly number[] = header.map(() => 1),
) {
  const x0 = doc.page.margins.left;
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => (w / total) * width(doc));
  const left = widths.map((_, i) => x0 + widths.slice(0, i).reduce((a, b) => a + b, 0));
  const row = (cells: readonly string[], bold: boolean) => {
    if (doc.y + 16 > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(9)
      .fillColor(INK);
    cells.forEach((c, i) => {
      doc.text(pdfText(c), left[i] ?? x0, y, {
        width: (widths[i] ?? 0) - 6,
        lineBreak: false,
        ellipsis: true,
      });
    });
    doc
      .moveTo(x0, y + 13)
      .lineTo(x0 + width(doc), y + 13)
      .lineWidth(0.3)
      .strokeColor(GRID)
      .stroke();
    doc.x = x0;
    doc.y = y + 16;
  };
  row(header, true);
  for (const r of rows) row(r, false);
  if (rows.length === 0) doc.font('Helvetica').fontSize(9).fillColor(MUTED).text('None.', x0);
  doc.moveDown(0.5);
}

function events(doc: Doc, r: ReportData) {
  if (r.events.length === 0) {
    doc.font('Helvetica').fontSize(10).fillColor(MUTED).text('No events in this window.');
    return;
  }
  for (const e of r.events) {
    doc.font('Helvetica').fontSize(9).fillColor(MUTED).text(clockTime(e.timeMs), { continued: true });
    doc.fillColor(e.mode === 'real' ? REAL : INK).text(`   ${pdfText(e.line)}`);
  }
  doc.moveDown();
}

function casualtiesAndContacts(doc: Doc, r: ReportData) {
  heading(doc, 'Casualties');
  table(
    doc,
    ['Member', 'Triage', 'Injuries', 'Care'],
    r.casualties.map((c) => [c.callsign, c.triage, c.injuries, c.care.join('; ')]),
    [1, 1, 2, 3],
  );
  heading(doc, 'Hostile contacts');
  table(
    doc,
    ['Reported', 'Mode', 'Count', 'Withdrawn', 'Notes'],
    r.contacts.map((c) => [
      clockTime(c.timeMs),
      c.mode === 'real' ? 'REAL' : 'EXERCISE',
      String(c.count),
      String(c.withdrawn),
      c.text,
    ]),
  );
}

/** Each segment's coverage C = W·L/A of the tracks walked in it, POD = 1 − e^(−C), and the POA after. */
function searchSegments(doc: Doc, r: ReportData) {
  const pct = (p: number | null) => (p === null ? '-' : `${(p * 100).toFixed(0)} %`);
  heading(doc, 'Search segments');
  table(
    doc,
    ['Segment', 'Area', 'POA', 'C', 'POD', 'Cum. POD', 'POA after', 'Searchers'],
    r.search.map((s) => [
      s.name,
      `${(s.areaM2 / 10_000).toFixed(1)} ha`,
      pct(s.poa),
      s.coverage.toFixed(2),
      pct(s.pod),
      pct(s.cumulativePod),
      pct(s.currentPoa),
      s.searchers,
    ]),
    [2, 1, 1, 1, 1, 1, 1, 3],
  );
}

function notes(doc: Doc, r: ReportData) {
  const w = r.hotWash;
  if (w) {
    heading(doc, 'Hot wash');
    for (const [title, text] of [
      ['What went well', w.wentWell],
      ['What to improve', w.toImprove],
    ] as const) {
      doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(title);
      doc
        .font('Helvetica')
        .fillColor(text ? INK : MUTED)
        .text(pdfText(text || 'Nothing written.'), { width: width(doc) });
      doc.moveDown(0.5);
    }
    table(
      doc,
      ['Corrective action', 'Owner', 'Due', 'Done'],
      w.actions.map((a) => [a.text, a.owner ?? '-', a.dueOn ?? '-', a.done ? 'yes' : 'no']),
      [5, 1.5, 1.5, 1],
    );
  }
  const closing = r.operations.filter((o) => o.summary || o.closeOverride);
  if (closing.length === 0) return;
  heading(doc, 'Closing notes');
  for (const o of closing) {
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(pdfText(o.name));
    if (o.summary) doc.font('Helvetica').text(pdfText(o.summary), { width: width(doc) });
    if (o.closeOverride)
      doc.font('Helvetica-Oblique').text(`Closed with members unaccounted: ${pdfText(o.closeOverride)}`);
    doc.moveDown(0.5);
  }
}

/** The mode and the page on every page, so that a page read alone says what it is about. */
function footers(doc: Doc, r: ReportData) {
  const range = doc.bufferedPageRange();
  const mark = real(r) ? 'REAL WORLD' : 'EXERCISE';
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - 30;
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica-Bold')
      .fontSize(8)
      .fillColor(real(r) ? REAL : EXERCISE)
      .text(mark, doc.page.margins.left, y, { lineBreak: false });
    doc
      .font('Helvetica')
      .fillColor(MUTED)
      .text(`${titleOf(r)} - page ${i + 1} of ${range.count}`, doc.page.margins.left, y, {
        width: width(doc),
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
}

function dateTime(t: number | string): string {
  const d = new Date(t);
  return `${d.toISOString().slice(0, 10)} ${clockTime(d)}`;
}
