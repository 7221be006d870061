/** Helvetica draws Windows-1252: other characters print as "?" rather than as garbage. */
export function pdfText(s: string): string {
  return s
    .replace(/[→⇒]/g, '->')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[^\x20-\x7e\xa0-\xff\n–—…•·€]/g, '?');
}
