// The local server's XlsxWork (functions/xlsx/work.ts): .xlsx uploads are read and exports written on a worker
// thread, so that one user's 20,000-row upload or 30,000-row export does not hold up everyone else's requests on
// the one event loop (issue 10, 12). On AWS each request has its own Lambda and the work stays in process; the
// handlers get whichever the Context carries and never know which. One thread: the machine the local stack is
// meant for has few cores, and jobs queue on the thread rather than on the event loop. A thread that dies (out
// of memory on a hostile file) fails its jobs; the next job starts a new one, and the server stays up.
import { Worker } from 'node:worker_threads';
import type { XlsxSheet } from '../../forms/xlsx-read';
import { XlsxTooLarge, type XlsxLimit } from '../../forms/xlsx-limits';
import type { SheetLayout } from '../../forms/xlsx-write';
import type { XlsxWork } from '../../functions/xlsx/work';

export type XlsxJob =
  { id: number; kind: 'read'; file: Uint8Array } | { id: number; kind: 'write'; sheets: SheetLayout[] };

export type XlsxOutcome =
  | { id: number; ok: true; value: XlsxSheet[] | Uint8Array }
  | { id: number; ok: false; message: string; tooLarge?: XlsxLimit };

/** Heap of the thread: far above a legitimate 20,000-row sheet, well below what would starve the server. */
const THREAD_HEAP_MB = 1024;

/**
 * The thread runs TypeScript like the server does: it registers tsx's loader, then imports xlsx-thread.ts (a
 * worker's entry file itself is not passed through loader hooks).
 */
function startThread(): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./xlsx-thread.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
}

interface Running {
  thread: Worker;
  waiting: Map<number, { done: (o: XlsxOutcome) => void; fail: (e: Error) => void }>;
}

export class XlsxWorker implements XlsxWork {
  private running: Running | undefined;
  private nextId = 0;

  readSheets = async (file: Uint8Array): Promise<XlsxSheet[]> =>
    (await this.run({ id: this.nextId++, kind: 'read', file })) as XlsxSheet[];

  writeWorkbook = async (sheets: SheetLayout[]): Promise<Uint8Array> =>
    (await this.run({ id: this.nextId++, kind: 'write', sheets })) as Uint8Array;

  /** Stops the thread (the stack's stop()); jobs still waiting fail. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.thread.terminate();
  }

  private async run(job: XlsxJob): Promise<XlsxSheet[] | Uint8Array> {
    const { thread, waiting } = this.ensureThread();
    const outcome = await new Promise<XlsxOutcome>((done, fail) => {
      waiting.set(job.id, { done, fail });
      thread.postMessage(job);
    });
    if (outcome.ok) return outcome.value;
    throw outcome.tooLarge ? new XlsxTooLarge(outcome.tooLarge, outcome.message) : new Error(outcome.message);
  }

  private ensureThread(): Running {
    if (this.running) return this.running;
    const running: Running = { thread: startThread(), waiting: new Map() };
    const { thread, waiting } = running;
    // Not what keeps the server alive: the listening socket does.
    thread.unref();
    thread.on('message', (outcome: XlsxOutcome) => {
      waiting.get(outcome.id)?.done(outcome);
      waiting.delete(outcome.id);
    });
    const failAll = (err: Error) => {
      if (this.running === running) this.running = undefined;
      for (const job of waiting.values()) job.fail(err);
      waiting.clear();
    };
    thread.on('error', failAll);
    thread.on('exit', () => failAll(new Error('the .xlsx worker thread stopped')));
    this.running = running;
    return running;
  }
}
