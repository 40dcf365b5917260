// The handlers' clock in integration tests. Each test starts at the file's moment and moves only its own time:
// `reset` runs before every test, so a test that fails half-way cannot leave the next one on another date.
import { beforeEach } from 'vitest';

export interface TestClock {
  now: () => Date;
  set(iso: string): void;
  /** Moves on by a minute (reviews, callback batches: distinct times) and answers the new time. */
  tick(): Date;
}

/** A clock at `startIso` for the stack of one test file, set back to it before each test. */
export function testClock(startIso: string): TestClock {
  const start = new Date(startIso);
  let at = start;
  beforeEach(() => {
    at = start;
  });
  return {
    now: () => at,
    set(iso) {
      at = new Date(iso);
    },
    tick: () => (at = new Date(at.getTime() + 60_000)),
  };
}
