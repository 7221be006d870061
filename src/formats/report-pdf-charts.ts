import { clockTime } from '../domain/duration.ts';
import { pdfText } from './pdf-text.ts';

/** The drawing of the report's plots: vectors on the page, the same figures as the console's charts. */
type Doc = PDFKit.PDFDocument;
const INK = '#1b2430';
const MUTED = '#5b6875';
const GRID = '#d5dbe1';
/** The report's window, on a time axis. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}
export type Area = { x: number; y: number; w: number; h: number };

export function chart(doc: Doc, title: string, draw: (a: Area) => void, empty: string | null) {
  const h = 120;
  if (doc.y + h + 30 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  const x = doc.page.margins.left;
  doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(title, x);
  const y = doc.y + 4;
  const area = { x: x + 40, y, w: doc.page.width - doc.page.margins.left - doc.page.margins.right - 50, h };
  doc.rect(area.x, area.y, area.w, area.h).lineWidth(0.5).strokeColor(GRID).stroke();
  if (empty)
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(MUTED)
      .text(empty, area.x + 10, area.y + h / 2 - 5);
  else draw(area);
  doc.x = x;
  doc.y = y + h + 22;
}

function yAxis(doc: Doc, a: Area, max: number, label: (v: number) => string) {
  doc.font('Helvetica').fontSize(7).fillColor(MUTED);
  for (const f of [0, 0.5, 1]) {
    const y = a.y + a.h - f * a.h;
    doc
      .moveTo(a.x, y)
      .lineTo(a.x + a.w, y)
      .lineWidth(0.3)
      .strokeColor(GRID)
      .stroke();
    doc.text(label(max * f), a.x - 38, y - 4, { width: 34, align: 'right', lineBreak: false });
  }
}

export function bars(
  doc: Doc,
  a: Area,
  items: ReadonlyArray<{ label: string; value: number; color: string }>,
) {
  const max = Math.max(1, ...items.map((i) => i.value)) * 1.1;
  yAxis(doc, a, max, (v) => v.toFixed(v < 10 ? 1 : 0));
  const slot = a.w / items.length;
  items.forEach((it, i) => {
    const bh = (it.value / max) * a.h;
    const bw = Math.min(40, slot * 0.6);
    const bx = a.x + slot * i + (slot - bw) / 2;
    doc
      .rect(bx, a.y + a.h - bh, bw, bh)
      .fillColor(it.color)
      .fill();
    doc
      .font('Helvetica')
      .fontSize(7)
      .fillColor(INK)
      .text(pdfText(it.label), a.x + slot * i, a.y + a.h + 3, {
        width: slot,
        align: 'center',
        lineBreak: false,
      });
  });
}

function timeX(r: TimeWindow, a: Area, t: number): number {
  return a.x + ((t - r.fromMs) / Math.max(1, r.toMs - r.fromMs)) * a.w;
}

function timeAxis(doc: Doc, r: TimeWindow, a: Area) {
  doc.font('Helvetica').fontSize(7).fillColor(MUTED);
  for (const f of [0, 0.5, 1]) {
    const t = r.fromMs + f * (r.toMs - r.fromMs);
    doc.text(clockTime(t), timeX(r, a, t) - 20, a.y + a.h + 3, {
      width: 40,
      align: 'center',
      lineBreak: false,
    });
  }
}

export function steps(
  doc: Doc,
  a: Area,
  r: TimeWindow,
  times: readonly number[],
  values: readonly number[],
  total: number,
) {
  const max = Math.max(1, total);
  yAxis(doc, a, max, (v) => String(Math.round(v)));
  timeAxis(doc, r, a);
  const y = (v: number) => a.y + a.h - (v / max) * a.h;
  doc.moveTo(a.x, y(0));
  let last = 0;
  times.forEach((t, i) => {
    const x = timeX(r, a, t);
    doc.lineTo(x, y(last));
    last = values[i] ?? last;
    doc.lineTo(x, y(last));
  });
  doc
    .lineTo(a.x + a.w, y(last))
    .lineWidth(1.6)
    .strokeColor('#2e9d6a')
    .stroke();
}

export interface LineSeries {
  label: string;
  color: string;
  values: ReadonlyArray<number | null>;
}

/** Lines over time, broken where a value is unknown, each labelled at its last point. */
export function lines(
  doc: Doc,
  a: Area,
  r: TimeWindow,
  timesMs: readonly number[],
  series: readonly LineSeries[],
) {
  const max = Math.max(10, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null))) * 1.1;
  yAxis(doc, a, max, (v) => String(Math.round(v)));
  timeAxis(doc, r, a);
  for (const s of series) {
    let pen = false;
    let end: { x: number; y: number } | null = null;
    s.values.forEach((v, j) => {
      if (v === null) {
        pen = false;
        return;
      }
      const x = timeX(r, a, timesMs[j] ?? r.fromMs);
      const y = a.y + a.h - (v / max) * a.h;
      if (pen) doc.lineTo(x, y);
      else doc.moveTo(x, y);
      pen = true;
      end = { x, y };
    });
    doc.lineWidth(1.2).strokeColor(s.color).stroke();
    const at = end as { x: number; y: number } | null;
    if (at)
      doc
        .font('Helvetica-Bold')
        .fontSize(7)
        .fillColor(s.color)
        .text(pdfText(s.label), Math.min(at.x + 3, a.x + a.w - 30), at.y - 8, { lineBreak: false });
  }
}
