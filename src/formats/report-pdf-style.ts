/** The report's ink: text, muted text and grid lines, and the page it is set on. */
export const INK = '#1b2430';
export const MUTED = '#5b6875';
export const GRID = '#d5dbe1';

export type Doc = PDFKit.PDFDocument;

/** The width between the page's margins. */
export const width = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
