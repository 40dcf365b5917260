// The largest round we claim, end to end against the local server in its own process (`npm start`):
//  - an 80,000-row consolidated 附件1 (8 counties × 10,000 rows) exported as the browser page and the pane do it:
//    every JSON page pulled (gzip), the .xlsx built on the user's machine — with the largest single response,
//    which must stay under 5 MB (Lambda answers at most 6 MB, counted as base64);
//  - meanwhile a county submits a 20,000-row 附件1 (JSON in parts, as the pane sends it), and another
//    user's small requests (GET /v1/me every 20 ms) are timed: their p99 wait, against the same requests alone;
//  - the supported scale of one prefecture's round, stated with the figures it rests on.
// `npx tsx bench/run.ts scale` runs this file alone.
import { randomUUID } from 'node:crypto';
import { consolidatedSheet } from '../forms/consolidated';
import { writeXlsx } from '../forms/xlsx-write';
import { STATUS_LABELS, type ConsolidatedFujian1Row, type ConsolidatedResponse } from '../contract/api';
import { DynamoStore } from '../functions/store/dynamo';
import { createDynamoClient, DEFAULT_TABLE_NAME } from '../functions/store/table';
import { mapLimit } from '../functions/store/retry';
import { MAX_DATA_ROWS } from '../forms/xlsx-limits';
import { ApiClient } from '../addin/api/client';
import { allPages, call } from '../test/support/api';
import { FUJIAN1 } from '../test/support/forms-2019';
import { fujian1Rows } from '../test/support/rows';
import type { Figure } from './run';
import { meanwhile, p99, startServer } from './server-process';

const CAMPAIGN = 'huangnan-2019';
const ROUND = '2019-12-14';
const UNITS = 8;
const ROWS_PER_UNIT = 10_000;
const RESPONSE_LIMIT = 5 * 1024 * 1024;
/** The claim: units of one prefecture, and rows of one form in one round across them. */
const SUPPORTED = { units: 100, rows: UNITS * ROWS_PER_UNIT };

export default async function bench(emit: (f: Figure) => void): Promise<void> {
  const server = await startServer();
  const client = createDynamoClient({ endpoint: server.dynamodbEndpoint });
  try {
    const store = new DynamoStore({ client, tableName: DEFAULT_TABLE_NAME });
    const prefecture = server.tokens.huangnan;
    // Units no campaign lists take part in every campaign: the seeded round gets exactly these 8.
    const units = Array.from({ length: UNITS }, (_, i) => `scale${i}`);
    await mapLimit(units, 2, async (id, i) => {
      await store.createUnit({
        id,
        name: `县${i}`,
        role: 'county',
        order: 3000 + i,
        createdAt: new Date().toISOString(),
      });
      const res = await call(server.apiUrl, 'POST', '/v1/submissions', {
        token: prefecture,
        idempotencyKey: `scale-${id}`,
        gzip: true,
        body: {
          campaign: CAMPAIGN,
          unit: id,
          form: 'fujian1',
          round: ROUND,
          asOf: '2019-12-10',
          contact: { name: '卓玛', phone: '0973-8722111' },
          rows: fujian1Rows(ROWS_PER_UNIT, { unitName: `县${i}` }),
        },
      });
      if (res.status !== 201) throw new Error(`seed ${id}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    });

    const exportXlsx = async () => {
      const pulled = await allPages<ConsolidatedResponse>(
        server.apiUrl,
        `/v1/consolidated/fujian1?campaign=${CAMPAIGN}&round=${ROUND}`,
        { token: prefecture, acceptGzip: true },
      );
      if (pulled.first.status !== 200) throw new Error(`pull: ${pulled.first.status}`);
      const table = { ...pulled.first.body, rows: pulled.rows as ConsolidatedFujian1Row[], next: null };
      const file = await writeXlsx([consolidatedSheet(FUJIAN1, table, STATUS_LABELS, { unitName: '黄南州' })]);
      return { rows: pulled.rows.length, pages: pulled.pages, largest: pulled.largestBytes, fileBytes: file.length };
    };
    // A county's 20,000-row 附件1 as the pane and the browser page send it: JSON, gzip, in parts past 4 MB, then one
    // commit (a .xlsx that large is over the 6 MB request limit; the page reads it on the clerk's machine).
    const county = new ApiClient({ baseUrl: server.apiUrl, token: server.token });
    const rows20k = fujian1Rows(20_000, { unitName: '同仁县' });
    const upload = async () => {
      const t0 = performance.now();
      const receipt = await county.submit(
        {
          campaign: CAMPAIGN,
          form: 'fujian1',
          // A later round than the export's: nothing of it is carried into the exported round.
          round: '2019-12-24',
          asOf: '2019-12-20',
          contact: { name: '才让', phone: '13800000000' },
          rows: rows20k,
        },
        { idempotencyKey: randomUUID() },
      );
      return { rows: receipt.rowCount, ms: performance.now() - t0 };
    };

    // Warm: modules loaded, the worker thread started, a pull of each kind done once; then small requests alone.
    await upload();
    // The upload alone, warm (a resubmission, as during the export below), to compare with its time meanwhile: the
    // export's .xlsx is built in this process, standing for the office's machine, on the same 2 cores.
    const alone = await upload();
    await exportXlsx();
    const idle = await meanwhile(server, () => new Promise((r) => setTimeout(r, 2000)));
    const run = await meanwhile(server, async () => {
      const [exported, uploaded] = await Promise.all([
        (async () => {
          const t0 = performance.now();
          return { ...(await exportXlsx()), ms: performance.now() - t0 };
        })(),
        upload(),
      ]);
      return { exported, uploaded };
    });
    const { exported, uploaded } = run.value;
    if (exported.rows !== SUPPORTED.rows) throw new Error(`export: ${exported.rows} rows`);
    if (uploaded.rows !== 20_000) throw new Error(`upload: ${uploaded.rows} rows`);
    emit({
      name: `export.consolidated.fujian1.${SUPPORTED.rows}.wall`,
      value: Math.round(exported.ms),
      unit: 'ms',
      rows: exported.rows,
      pages: exported.pages,
      xlsxBytes: exported.fileBytes,
      builtOn: 'client',
    });
    emit({
      name: `export.consolidated.fujian1.${SUPPORTED.rows}.largestResponseBody`,
      value: exported.largest,
      unit: 'bytes',
      limit: RESPONSE_LIMIT,
    });
    emit({
      name: 'me.p99_wait_during_export_and_upload',
      value: Math.round(p99(run.waits)),
      unit: 'ms',
      goal: '<= 200',
      requests: run.waits.length,
      maxMs: Math.round(Math.max(0, ...run.waits)),
      idleP99Ms: Math.round(p99(idle.waits)),
      upload20000Ms: Math.round(uploaded.ms),
      upload20000AloneMs: Math.round(alone.ms),
      serverPeakRssMb: Math.round(run.peakMb),
    });
    emit({
      name: 'scale.supported.prefecture_round',
      value: SUPPORTED.rows,
      unit: 'rows per form per round',
      units: SUPPORTED.units,
      maxRowsPerUnit: MAX_DATA_ROWS,
      basis:
        `${SUPPORTED.units} units: consolidated.fujian1.100x500 (bench/consolidated); ` +
        `${SUPPORTED.rows} rows: this export, largest response ${(exported.largest / 1024 / 1024).toFixed(1)} MB`,
    });
  } finally {
    client.destroy();
    server.stop();
  }
}
