// Hostile uploads against the local server run as its own process (`node --import tsx infra/local/start.ts`, as
// `npm start` runs it), so its memory is its own: for the 300 MB zip bomb and the million-empty-rows file, the time
// to the 413, the server's peak RSS while refusing (goal < 512 MB) and the p99 wait of small requests (GET /v1/me
// every 20 ms) made meanwhile (goal < 1 s). Baselines from the same run: the same small requests with nothing else
// going on, and the largest real upload (a 20,000-row 附件1 of real text), which ExcelJS parses on the server's worker
// thread (infra/local/xlsx-worker.ts).
import { FUJIAN1 } from '../test/support/forms-2019';
import { renderSheet } from '../forms/render';
import { writeXlsx } from '../forms/xlsx-write';
import { hostileXlsx } from '../test/support/hostile-xlsx';
import { fujian1Rows } from '../test/support/rows';
import type { Figure } from './run';
import { meanwhile, p99, startServer, XLSX } from './server-process';

export default async function bench(emit: (f: Figure) => void): Promise<void> {
  const files = hostileXlsx(300);
  const real = await writeXlsx([renderSheet(FUJIAN1, fujian1Rows(20_000), { unitName: '同仁县' })]);
  const server = await startServer();
  try {
    const upload = (bytes: Uint8Array) =>
      fetch(
        `${server.apiUrl}/v1/submissions?${new URLSearchParams({ form: 'fujian1', round: '2019-11-04', asOf: '2019-11-03', contactName: '才让', contactPhone: '13800000000' })}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${server.token}`,
            'content-type': XLSX,
            'idempotency-key': crypto.randomUUID(),
          },
          body: bytes as Uint8Array<ArrayBuffer>,
        },
      ).then(async (r) => ({ status: r.status, body: await r.text() }));

    // Warm the server (first requests load modules), then the baseline: small requests alone for 2 s.
    await upload(files['many-entries.xlsx']);
    const idle = await meanwhile(server, () => new Promise((r) => setTimeout(r, 2000)));
    emit({
      name: 'hostile.idle.p99_wait',
      value: Math.round(p99(idle.waits)),
      unit: 'ms',
      requests: idle.waits.length,
      rssMb: Math.round(idle.peakMb),
    });

    for (const [name, file] of [
      ['zip_bomb', files['sheet-bomb.xlsx']],
      ['zip_bomb_lying_size', files['lying-size.xlsx']],
      ['shared_strings_bomb', files['shared-strings-bomb.xlsx']],
      ['million_empty_rows', files['million-empty-rows.xlsx']],
      ['real_20000_rows', real],
    ] as const) {
      const run = await meanwhile(server, () => upload(file));
      const common = {
        fileKb: Math.round(file.byteLength / 1024),
        status: run.value.status,
        requests: run.waits.length,
      };
      emit({
        name: `hostile.${name}.time_to_answer`,
        value: Math.round(run.ms),
        unit: 'ms',
        goal: name.startsWith('real') ? undefined : '< 5000',
        ...common,
      });
      emit({
        name: `hostile.${name}.server_peak_rss`,
        value: Math.round(run.peakMb),
        unit: 'MB',
        goal: name.startsWith('real') ? undefined : '< 512',
        baselineMb: Math.round(idle.peakMb),
      });
      emit({
        name: `hostile.${name}.p99_wait_meanwhile`,
        value: Math.round(p99(run.waits)),
        unit: 'ms',
        goal: name.startsWith('real') ? undefined : '< 1000',
        baselineMs: Math.round(p99(idle.waits)),
        maxMs: Math.round(Math.max(0, ...run.waits)),
      });
    }
  } finally {
    server.stop();
  }
}
