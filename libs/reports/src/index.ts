/**
 * What the supervision office hands upward (issue 17, DESIGN §8): pure writers from read-model rows — the .xlsx
 * ledgers and exports (exceljs, streamed) and the 督查通报 .docx (docx). No database, no HTTP: the API and the
 * bulletin activity read the rows and hand them here.
 */
export * from './assessment-sheet';
export * from './xlsx/sheet-writer';
export * from './xlsx/exports';
export { writeBulletin } from './bulletin';
