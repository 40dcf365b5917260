// Worker threads of the local server (the .xlsx thread, the handler threads): each runs TypeScript like the
// server does, takes jobs as messages and answers each with a message carrying the job's id. A thread that dies
// (out of memory on a hostile file, a crash) fails the jobs it held; the next job starts a new one, and the
// server stays up.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** Registers tsx's loader in the new thread, then imports `entry` (a worker's entry file skips loader hooks). */
function startTsThread(entry: URL, options: Omit<WorkerOptions, 'eval'>): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}

/** What a thread posts back: the answer to job `id`, or (without `id`) something else for `onOther`. */
export type ThreadMessage<Outcome> = ({ id: number } & Outcome) | { id?: undefined; [other: string]: unknown };

interface Running<Outcome> {
  thread: Worker;
  waiting: Map<number, { done: (o: Outcome) => void; fail: (e: Error) => void }>;
}

export class JobThread<Job, Outcome> {
  private running: Running<Outcome> | undefined;
  private nextId = 0;

  constructor(
    private readonly entry: URL,
    private readonly options: Omit<WorkerOptions, 'eval'> & {
      /** Said when the thread stops with jobs in hand. */
      stoppedMessage: string;
      /** Messages that answer no job (e.g. log lines). */
      onOther?: (message: Record<string, unknown>) => void;
    },
  ) {}

  /** Starts the thread now rather than on the first job (its start-up then delays no request). */
  warm(): void {
    this.ensureThread();
  }

  /** Posts the job (with an id of its own) and waits for its answer; fails if the thread stops meanwhile. */
  run(job: Job, transfer: readonly ArrayBuffer[] = []): Promise<Outcome> {
    const { thread, waiting } = this.ensureThread();
    const id = this.nextId++;
    return new Promise<Outcome>((done, fail) => {
      waiting.set(id, { done, fail });
      thread.postMessage({ ...job, id }, [...transfer]);
    });
  }

  /** Stops the thread (the stack's stop()); jobs still waiting fail. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.thread.terminate();
  }

  private ensureThread(): Running<Outcome> {
    if (this.running) return this.running;
    const { stoppedMessage, onOther, ...workerOptions } = this.options;
    const running: Running<Outcome> = { thread: startTsThread(this.entry, workerOptions), waiting: new Map() };
    const { thread, waiting } = running;
    // Not what keeps the server alive: the listening socket does.
    thread.unref();
    thread.on('message', (message: ThreadMessage<Outcome>) => {
      if (message.id === undefined) return onOther?.(message);
      waiting.get(message.id)?.done(message as Outcome);
      waiting.delete(message.id);
    });
    const failAll = (err: Error) => {
      if (this.running === running) this.running = undefined;
      for (const job of waiting.values()) job.fail(err);
      waiting.clear();
    };
    thread.on('error', failAll);
    thread.on('exit', () => failAll(new Error(stoppedMessage)));
    this.running = running;
    return running;
  }
}
