// The prefecture's consolidated pull through the local HTTP API (the real handlers on DynamoDB Local, on their
// handler thread as `npm start` runs them; the benchmark's client on the server's main thread), next to its floor
// measured in the same run: the bare reads of the same items (each submission's header, then each of
// its row chunks, by Query on their own partition keys) with no HTTP, no decompression, no checks.
// `npx tsx bench/run.ts consolidated` runs this file alone.
import { mapLimit } from '../functions/store/retry';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import { allPages, call } from '../test/support/api';
import { fujian1Rows } from '../test/support/rows';
import { readFloor } from './read-floor';
import { median } from './median';
import type { Figure } from './run';

const contact = { name: '卓玛', phone: '0973-8722111' };

async function timed<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await task();
  return { ms: performance.now() - t0, value };
}

/** `units` county units, each with a `rows`-row 附件1 for round 2019-12-14 submitted by the prefecture. */
async function seedRound(
  stack: LocalStack,
  prefix: string,
  units: number,
  rows: number,
  order: number,
): Promise<{ id: string; chunks: number }[]> {
  const ids = Array.from({ length: units }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  return mapLimit(ids, 4, async (id, i) => {
    await stack.store.createUnit({
      id,
      name: `县${prefix}${i}`,
      role: 'county',
      order: order + i,
      createdAt: new Date().toISOString(),
    });
    const res = await call(stack.apiUrl, 'POST', '/v1/submissions', {
      token: stack.tokens.huangnan,
      idempotencyKey: `setup-${id}`,
      gzip: true,
      body: {
        unit: id,
        form: 'fujian1',
        round: '2019-12-14',
        asOf: '2019-11-01',
        contact,
        rows: fujian1Rows(rows, { unitName: `县${prefix}${i}` }),
      },
    });
    if (res.status !== 201) throw new Error(`setup ${id}: ${res.status}`);
    const header = await stack.store.getHeader(res.body.id as string);
    return { id: header!.id, chunks: header!.chunks.length };
  });
}

const PULL = '/v1/consolidated/fujian1?round=2019-12-14';
const RUNS = 3;

export default async function bench(emit: (f: Figure) => void): Promise<void> {
  const stack = await startLocalStack({ inMemory: true, port: 0, quiet: true, threads: true });
  try {
    // 100 units × 500 rows, then pulled as one consolidated 附件1.
    const subs = await seedRound(stack, 'u', 100, 500, 2000);
    const pull = (acceptGzip: boolean) => allPages(stack.apiUrl, PULL, { token: stack.tokens.huangnan, acceptGzip });
    // One pull of each kind first, not reported: the figures are for a warm function, not for JIT compilation.
    for (const acceptGzip of [true, false]) await pull(acceptGzip);
    for (const acceptGzip of [true, false]) {
      // Pull and floor alternately, RUNS times: on a shared 2-core machine one run of either swings by a third, so
      // the figure is the median pull against the median floor (each run listed beside it).
      const pulls: number[] = [];
      const floors: Awaited<ReturnType<typeof readFloor>>[] = [];
      let requests = 0;
      let last: Awaited<ReturnType<typeof pull>> | undefined;
      for (let run = 0; run < RUNS; run++) {
        const before = stack.dynamoRequests.total();
        const { ms, value } = await timed(() => pull(acceptGzip));
        if (value.rows.length !== 50_000) throw new Error(`consolidated returned ${value.rows.length} rows`);
        requests = stack.dynamoRequests.total() - before;
        pulls.push(ms);
        last = value;
        floors.push(await readFloor(stack.dynamodbEndpoint, subs));
      }
      const ms = median(pulls);
      const floorMs = median(floors.map((f) => f.ms));
      const value = last!;
      const rows = value.rows.length;
      const floor = floors[0];
      const tag = acceptGzip ? 'gzip' : 'identity';
      emit({
        name: `consolidated.fujian1.100x500.${tag}.wall`,
        value: Math.round(ms),
        unit: 'ms',
        rows,
        pages: value.pages,
        floorMs: Math.round(floorMs),
        ratioToFloor: +(ms / floorMs).toFixed(2),
        runsMs: pulls.map(Math.round),
        floorRunsMs: floors.map((f) => Math.round(f.ms)),
      });
      emit({
        name: `consolidated.fujian1.100x500.${tag}.dynamodbRequests`,
        value: requests,
        unit: 'requests',
        floorRequests: floor.requests,
      });
      emit({
        name: `consolidated.fujian1.100x500.${tag}.largestResponseBody`,
        value: value.largestBytes,
        unit: 'bytes',
        limit: 5 * 1024 * 1024,
      });
    }
  } finally {
    await stack.stop();
  }
}
