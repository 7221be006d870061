import type { Point } from '../domain/geo.ts';
import { pdfText } from './pdf-text.ts';
import type { ReportData } from './report-pdf.ts';
import { type Doc, GRID, INK, MUTED, width } from './report-pdf-style.ts';

// The report's map page: the members' tracks drawn as vectors over a grid in degrees.

/** Every member's track, projected on the page (equirectangular, scaled by latitude), over a labelled grid. */
export function trackMap(doc: Doc, r: ReportData, colors: Map<string, string>) {
  const x0 = doc.page.margins.left;
  const y0 = doc.y;
  const w = width(doc);
  const h = Math.min(w, doc.page.height - y0 - doc.page.margins.bottom - 80);
  const points = r.tracks.flatMap((t) => Array.from(t.lat, (lat, i) => ({ lat, lon: t.lon[i] ?? 0 })));
  if (r.base) points.push(r.base);
  doc.rect(x0, y0, w, h).lineWidth(0.5).strokeColor(GRID).stroke();
  if (points.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(12)
      .fillColor(MUTED)
      .text('No positions were recorded in this window.', x0 + 20, y0 + h / 2 - 6, {
        width: w - 40,
        align: 'center',
      });
    doc.y = y0 + h + 10;
    return;
  }
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * k, 1e-5);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 1e-5);
  const scale = Math.min((w - 40) / spanX, (h - 40) / spanY);
  const cx = (Math.min(...lons) + Math.max(...lons)) / 2;
  const cy = midLat;
  const px = (p: Point) => ({
    x: x0 + w / 2 + (p.lon - cx) * k * scale,
    y: y0 + h / 2 - (p.lat - cy) * scale,
  });
  // Grid lines at round degrees fitting about six to a side.
  const step = niceStep(Math.max(spanX / k, spanY) / 6);
  doc.font('Helvetica').fontSize(7).fillColor(MUTED).lineWidth(0.3).strokeColor(GRID);
  for (
    let lon = Math.ceil((cx - w / 2 / (k * scale)) / step) * step;
    px({ lat: cy, lon }).x < x0 + w;
    lon += step
  ) {
    const x = px({ lat: cy, lon }).x;
    doc
      .moveTo(x, y0)
      .lineTo(x, y0 + h)
      .stroke();
    doc.text(lon.toFixed(decimals(step)), x + 2, y0 + h - 10, { lineBreak: false });
  }
  for (let lat = Math.ceil((cy - h / 2 / scale) / step) * step; px({ lat, lon: cx }).y > y0; lat += step) {
    const y = px({ lat, lon: cx }).y;
    doc
      .moveTo(x0, y)
      .lineTo(x0 + w, y)
      .stroke();
    doc.text(lat.toFixed(decimals(step)), x0 + 2, y - 9, { lineBreak: false });
  }
  for (const t of r.tracks) {
    if (t.t.length === 0) continue;
    const color = colors.get(t.memberId) ?? INK;
    const first = px({ lat: t.lat[0] ?? 0, lon: t.lon[0] ?? 0 });
    doc.moveTo(first.x, first.y);
    for (let i = 1; i < t.t.length; i++) {
      const p = px({ lat: t.lat[i] ?? 0, lon: t.lon[i] ?? 0 });
      doc.lineTo(p.x, p.y);
    }
    doc.lineWidth(1.6).strokeColor(color).stroke();
    const last = px({ lat: t.lat[t.t.length - 1] ?? 0, lon: t.lon[t.t.length - 1] ?? 0 });
    doc.circle(first.x, first.y, 2.5).fillColor(color).fill();
    doc.circle(last.x, last.y, 4).fillColor(color).fill();
    const m = r.members.find((x) => x.id === t.memberId);
    doc
      .font('Helvetica-Bold')
      .fontSize(8)
      .fillColor(INK)
      .text(pdfText(m?.callsign ?? '?'), last.x + 6, last.y - 4, { lineBreak: false });
  }
  if (r.base) {
    const b = px(r.base);
    doc
      .rect(b.x - 4, b.y - 4, 8, 8)
      .fillColor(INK)
      .fill();
    doc
      .font('Helvetica')
      .fontSize(8)
      .text('BASE', b.x + 6, b.y - 4, { lineBreak: false });
  }
  doc.y = y0 + h + 10;
  doc.x = x0;
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor(MUTED)
    .text('Small dot: first fix; large dot: last fix. Grid in degrees.', x0);
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const n = raw / p;
  return (n < 2 ? 1 : n < 5 ? 2 : 5) * p;
}
const decimals = (step: number) => Math.max(0, Math.ceil(-Math.log10(step)));
