// The CPU-heavy .xlsx work of a request (reading an uploaded workbook, writing one), behind an interface that the
// environment supplies through the Context, like the store. On Lambda each request has an instance of its own,
// so the work runs in process (the default). The local server answers every user from one event loop, so it
// supplies an implementation that runs the same functions on a worker thread (infra/local/xlsx-worker.ts): the
// handlers never know which one they were given. Bytes in, values out: everything crossing is plain data.
import { readXlsxSheets, type XlsxSheet } from '../../forms/xlsx-read';
import { writeXlsx, type SheetLayout } from '../../forms/xlsx-write';

export interface XlsxWork {
  /** As readXlsxSheets: XlsxTooLarge past the limits, any other Error for a file that is not an .xlsx. */
  readSheets(file: Uint8Array): Promise<XlsxSheet[]>;
  /** As writeXlsx. */
  writeWorkbook(sheets: SheetLayout[]): Promise<Uint8Array>;
}

export const IN_PROCESS_XLSX: XlsxWork = {
  readSheets: (file) => readXlsxSheets(file),
  writeWorkbook: (sheets) => writeXlsx(sheets),
};
