// The Excel add-in's costs that users feel: Office.js round trips (context.sync) and request sizes when writing
// and validating a 10,000-row 附件1 (Excel on the web caps a request at 5 MB; the fake measures requests as
// Office.js serialises them), and the pane's download size.
// Baselines in the same run: the same operations on 10 rows, and a bare React page's bundle.
import { FORMS_2019, FUJIAN1 } from '../test/support/forms-2019';
import { build as esbuild } from 'esbuild';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { parseSheet } from '../forms/parse';
import { renderSheet } from '../forms/render';
import { FakeExcel, PAYLOAD_LIMIT } from '../addin/excel/test/fake-excel';
import { ExcelWorkbookHost } from '../addin/excel/host';
import { fujian1Rows } from '../test/support/sample-rows';
import type { Figure } from './run';

const FIVE_MB = PAYLOAD_LIMIT;
/** Every request of the adapter should stay at or below 4 MB (issue 13). */
const GOAL_BYTES = 4_000_000;
const BLOCK_ROWS = 5000;

async function excelCosts(rows: number) {
  const xl = new FakeExcel();
  xl.addSheet('Sheet1');
  const host = new ExcelWorkbookHost(xl.env());
  const since = (n: number) => xl.syncs.slice(n);
  const measure = async (work: () => Promise<unknown>) => {
    const start = xl.syncCount;
    const t0 = performance.now();
    await work();
    const ms = performance.now() - t0;
    const s = since(start);
    return {
      syncs: s.length,
      maxRequest: Math.max(0, ...s.map((x) => x.requestBytes)),
      maxResponse: Math.max(0, ...s.map((x) => x.responseBytes)),
      ms,
    };
  };
  let sheet = '';
  const write = await measure(async () => (sheet = await host.writeSheet(renderSheet(FUJIAN1, fujian1Rows(rows)))));
  let issues: { code: string; severity: 'error'; message: string; cell: string }[] = [];
  const read = await measure(async () => {
    const data = await host.readSheet(sheet);
    const parsed = parseSheet(data.grid, FORMS_2019, { origin: data.origin, merges: data.merges });
    // Worst case for marking: one error on every row.
    issues = parsed.rows.map((r) => ({
      code: 'closure.invalid',
      severity: 'error',
      message: `H${r.sheetRow}「是否办结」应填写:已办结、阶段办结、正在办理`,
      cell: `H${r.sheetRow}`,
    }));
  });
  const mark = await measure(() => host.markIssues(sheet, issues));
  return { write, read, mark };
}

/**
 * Marking 10,000 cells as Office.js would send it (the fake counts object paths and actions per proxy, see
 * addin/excel/test/fake-excel.ts), on a sheet without notes and on one that has a note already (then every marked cell
 * is probed for a note first). Goal: every request <= 4 MB, below Excel on the web's 5 MB.
 */
async function markCost(withNote: boolean) {
  const xl = new FakeExcel();
  const sheet = xl.addSheet('附件1', [['附件1']]);
  if (withNote) sheet.notes.set('A1', '用户自己的批注');
  const host = new ExcelWorkbookHost(xl.env());
  const issues = Array.from({ length: 10_000 }, (_, i) => ({
    code: 'closure.invalid',
    severity: 'error' as const,
    message: `H${i + 5}「是否办结」应填写:已办结、阶段办结、正在办理`,
    cell: `H${i + 5}`,
  }));
  await host.markIssues('附件1', issues);
  return {
    syncs: xl.syncCount,
    requests: xl.syncs.map((s) => s.requestBytes),
    maxResponse: Math.max(...xl.syncs.map((s) => s.responseBytes)),
  };
}

/**
 * The pane's JavaScript, gzipped: what opening the pane loads (the taskpane page's entry chunk and every chunk it
 * imports statically) and, apart, the chunks loaded only on demand (the progress charts of the browser page).
 */
async function paneBundleGzip(): Promise<{ firstLoad: number; onDemand: Record<string, number> }> {
  const out = mkdtempSync(join(tmpdir(), 'bench-addin-'));
  const result = await build({
    configFile: fileURLToPath(new URL('../addin/vite.config.ts', import.meta.url)),
    logLevel: 'silent',
    build: { outDir: out, emptyOutDir: true },
  });
  const chunks = (Array.isArray(result) ? result : [result])
    .flatMap((r) => ('output' in r ? r.output : []))
    .filter((o) => o.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const entry = chunks.find((c) => c.isEntry && c.name === 'taskpane');
  if (!entry) throw new Error('the pane build has no taskpane entry chunk');
  const eager = new Set<string>();
  const visit = (file: string) => {
    if (eager.has(file)) return;
    eager.add(file);
    byName.get(file)?.imports.forEach(visit);
  };
  visit(entry.fileName);
  const gz = (file: string) => gzipSync(readFileSync(join(out, file))).length;
  const onDemand: Record<string, number> = {};
  for (const c of chunks) if (!eager.has(c.fileName) && !c.isEntry) onDemand[c.name] = gz(c.fileName);
  return { firstLoad: [...eager].reduce((sum, f) => sum + gz(f), 0), onDemand };
}

async function bareReactGzip(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-react-'));
  const entry = join(dir, 'entry.js');
  writeFileSync(
    entry,
    "import { createElement } from 'react';\nimport { createRoot } from 'react-dom/client';\ncreateRoot(document.body).render(createElement('p', null, 'hi'));\n",
  );
  const result = await esbuild({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    logLevel: 'silent',
    nodePaths: [fileURLToPath(new URL('../node_modules', import.meta.url))],
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  return gzipSync(result.outputFiles[0].contents).length;
}

export default async function (emit: (f: Figure) => void): Promise<void> {
  const small = await excelCosts(10);
  const large = await excelCosts(10_000);
  const blocks = Math.ceil(10_000 / BLOCK_ROWS);
  for (const [op, label] of [
    ['write', '写入'],
    ['read', '读取+校验'],
    ['mark', '标记问题'],
  ] as const) {
    const l = large[op];
    emit({
      name: `addin.${op}.fujian1_10000.syncs`,
      value: l.syncs,
      unit: 'count',
      baseline_10_rows: small[op].syncs,
      syncs_per_5000_rows: l.syncs / blocks,
      target_per_5000_rows: 4,
      what: label,
    });
    emit({
      name: `addin.${op}.fujian1_10000.max_request_bytes`,
      value: l.maxRequest,
      unit: 'bytes',
      baseline_10_rows: small[op].maxRequest,
      limit: FIVE_MB,
      within_limit: l.maxRequest <= FIVE_MB,
    });
    if (op === 'read')
      emit({
        name: `addin.read.fujian1_10000.max_response_bytes`,
        value: l.maxResponse,
        unit: 'bytes',
        baseline_10_rows: small.read.maxResponse,
        limit: FIVE_MB,
        within_limit: l.maxResponse <= FIVE_MB,
      });
    emit({
      name: `addin.${op}.fujian1_10000.adapter_ms`,
      value: Math.round(l.ms),
      unit: 'ms',
      baseline_10_rows: Math.round(small[op].ms),
      note: 'adapter + fake Excel in Node; real Excel adds one round trip per sync',
    });
  }
  const validate = large.read.syncs + large.mark.syncs;
  emit({
    name: 'addin.validate.fujian1_10000.syncs',
    value: validate,
    unit: 'count',
    baseline_10_rows: small.read.syncs + small.mark.syncs,
    syncs_per_5000_rows: validate / blocks,
    target_per_5000_rows: 4,
    what: '校验(读取+标记)',
  });
  for (const withNote of [false, true]) {
    const cost = await markCost(withNote);
    emit({
      name: `addin.mark.cells_10000${withNote ? '.sheet_with_notes' : ''}.max_request_bytes`,
      value: Math.max(...cost.requests),
      unit: 'bytes',
      request_bytes: cost.requests,
      max_response_bytes: cost.maxResponse,
      syncs: cost.syncs,
      goal: GOAL_BYTES,
      within_goal: Math.max(...cost.requests) <= GOAL_BYTES,
      model: 'Office.js request: object path + Instantiate action per proxy, an action per set/call/load',
    });
  }
  const pane = await paneBundleGzip();
  emit({
    name: 'addin.bundle.js_gzip',
    value: pane.firstLoad,
    unit: 'bytes',
    what: 'JavaScript loaded on opening the pane',
    baseline_bare_react: await bareReactGzip(),
    target: 300 * 1024,
    within_target: pane.firstLoad <= 300 * 1024,
    on_demand_gzip: pane.onDemand,
  });
}
