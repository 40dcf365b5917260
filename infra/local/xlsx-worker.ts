// The local server's XlsxWork (functions/xlsx/work.ts): .xlsx uploads are read and exports written on a worker
// thread, so that one user's 20,000-row upload or 30,000-row export does not hold up everyone else's requests on
// the one event loop (issue 10, 12). On AWS each request has its own Lambda and the work stays in process; the
// handlers get whichever the Context carries and never know which. One thread: the machine the local stack is
// meant for has few cores, and jobs queue on the thread rather than on the event loop (ts-thread.ts: a thread
// that dies fails its jobs, the next job starts a new one).
import type { XlsxSheet } from '../../forms/xlsx-read';
import { XlsxTooLarge, type XlsxLimit } from '../../forms/xlsx-limits';
import type { SheetLayout } from '../../forms/xlsx-write';
import type { XlsxWork } from '../../functions/xlsx/work';
import { JobThread } from './ts-thread';

export type XlsxJob = { kind: 'read'; file: Uint8Array } | { kind: 'write'; sheets: SheetLayout[] };

export type XlsxOutcome =
  { ok: true; value: XlsxSheet[] | Uint8Array } | { ok: false; message: string; tooLarge?: XlsxLimit };

/** Heap of the thread: far above a legitimate 20,000-row sheet, well below what would starve the server. */
const THREAD_HEAP_MB = 1024;

export class XlsxWorker implements XlsxWork {
  private readonly thread = new JobThread<XlsxJob, XlsxOutcome>(new URL('./xlsx-thread.ts', import.meta.url), {
    resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
    stoppedMessage: 'the .xlsx worker thread stopped',
  });

  readSheets = async (file: Uint8Array): Promise<XlsxSheet[]> =>
    (await this.run({ kind: 'read', file })) as XlsxSheet[];

  writeWorkbook = async (sheets: SheetLayout[]): Promise<Uint8Array> =>
    (await this.run({ kind: 'write', sheets })) as Uint8Array;

  /** Stops the thread (the stack's stop()); jobs still waiting fail. */
  close = (): Promise<void> => this.thread.close();

  private async run(job: XlsxJob): Promise<XlsxSheet[] | Uint8Array> {
    const outcome = await this.thread.run(job);
    if (outcome.ok) return outcome.value;
    throw outcome.tooLarge ? new XlsxTooLarge(outcome.tooLarge, outcome.message) : new Error(outcome.message);
  }
}
