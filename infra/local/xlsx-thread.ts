// The worker thread behind xlsx-worker.ts: the same in-process .xlsx work a Lambda does, one job at a time, off
// the local server's event loop. Errors go back as data (a class does not survive postMessage).
import { parentPort } from 'node:worker_threads';
import { XlsxTooLarge } from '../../forms/xlsx-limits';
import { IN_PROCESS_XLSX } from '../../functions/xlsx/work';
import type { XlsxJob, XlsxOutcome } from './xlsx-worker';

const port = parentPort!;
port.on('message', async (job: XlsxJob & { id: number }) => {
  let outcome: XlsxOutcome & { id: number };
  try {
    outcome =
      job.kind === 'read'
        ? { id: job.id, ok: true, value: await IN_PROCESS_XLSX.readSheets(job.file) }
        : { id: job.id, ok: true, value: await IN_PROCESS_XLSX.writeWorkbook(job.sheets) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    outcome = { id: job.id, ok: false, message, ...(err instanceof XlsxTooLarge ? { tooLarge: err.limit } : {}) };
  }
  port.postMessage(outcome);
});
