// What a handler needs besides the request: the store, the clock and a logger. Handlers build it once per
// Lambda container from env; tests and infra/local pass their own (another table, an injected clock).
import { storeFromEnv, type Store } from './store/index';
import type { Clock } from './store/retry';
import type { XlsxWork } from './xlsx/work';

export interface Context {
  store: Store;
  /** The current time; tests inject a fixed clock (late is decided at 24:00 Asia/Shanghai). */
  now: () => Date;
  /** What request deadlines and retry waits are measured on (store/retry.ts); tests give a fake one. */
  clock?: Clock;
  /** One JSON line per call. Never pass row text or phone numbers. */
  log: (entry: Record<string, unknown>) => void;
  /** Where .xlsx files are read and written (xlsx/work.ts); default: in process, as on Lambda. */
  xlsx?: XlsxWork;
}

export const jsonLineLogger = (entry: Record<string, unknown>): void => {
  process.stderr.write(JSON.stringify({ time: new Date().toISOString(), ...entry }) + '\n');
};

let fromEnv: Context | undefined;

/** The context of a deployed handler, built on first request (no work at module load). */
export function contextFromEnv(): Context {
  fromEnv ??= { store: storeFromEnv(), now: () => new Date(), log: jsonLineLogger };
  return fromEnv;
}
