// The uploaded workbook as the page shows it: sheet tabs, a grid with Excel-style row and column headings,
// marked cells (tooltip = the issue text), an upload control and a download button.
import { useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type ChangeEvent } from 'react';
import { cellAddress, columnLetter, parseAddress } from '../../forms/address';
import { findHeader } from '../../forms/header';
import { MARK_COLORS } from '../workbook/types';
import { formattedText } from './cells';
import type { FormDefinition } from '../../forms/spec';
import type { BrowserSheet, BrowserWorkbookHost } from './host';

/** Rows rendered at once; a larger sheet shows a window around the selected cell. */
const WINDOW_ROWS = 1000;

export function SheetView({ host }: { host: BrowserWorkbookHost }) {
  const state = useSyncExternalStore(host.subscribe, host.getState);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileRef = useRef<HTMLInputElement | null>(null);
  const sheet = state.sheets.find((s) => s.name === state.active) ?? null;

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const bytes = await file.arrayBuffer();
      if (isOldExcel(file.name, bytes)) {
        throw new Error(
          `「${file.name}」是旧版 Excel 97-2003 格式(.xls),网页版只能读取 .xlsx。请在 WPS 或 Excel 中打开它,点「文件 → 另存为」,文件类型选「Excel 工作簿(*.xlsx)」,保存后上传新文件。`,
        );
      }
      await host.open(bytes, file.name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  async function onDownload() {
    if (!sheet) return;
    setError(null);
    try {
      await host.download(sheet.name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <section className="sheet-view" aria-label="工作簿">
      <div className="sheet-toolbar">
        {/* A real button (Enter and Space open the file dialog from the keyboard); the input itself stays hidden. */}
        <button
          type="button"
          className="upload"
          data-upload-button
          disabled={busy}
          onClick={() => fileRef.current?.click()}
        >
          {busy ? '正在读取…' : '上传 .xlsx 文件'}
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          accept=".xlsx,.xls,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-label="上传 .xlsx 文件"
          onChange={onFile}
          disabled={busy}
          data-testid="upload"
        />
        <span className="file-name">{state.fileName ?? '尚未上传文件:请上传用 WPS 或 Excel 填好的附件(.xlsx)'}</span>
        {sheet && (
          <button type="button" onClick={onDownload}>
            下载「{sheet.name}」(.xlsx)
          </button>
        )}
      </div>
      {error && (
        <p className="sheet-error" role="alert">
          {error}
        </p>
      )}
      {state.sheets.length > 0 && (
        <nav className="sheet-tabs" role="tablist" aria-label="工作表">
          {state.sheets.map((s) => (
            <button
              key={s.name}
              type="button"
              role="tab"
              aria-selected={s.name === state.active}
              onClick={() => host.activate(s.name)}
            >
              {s.name}
              {s.issueCounts.errors > 0 ? (
                <span className="tab-badge" aria-label={`${s.issueCounts.errors} 处错误`}>
                  {s.issueCounts.errors}
                </span>
              ) : s.issueCounts.warnings > 0 ? (
                <span className="tab-badge warning" aria-label={`${s.issueCounts.warnings} 条提醒`}>
                  {s.issueCounts.warnings}
                </span>
              ) : null}
            </button>
          ))}
        </nav>
      )}
      {sheet && (
        <Grid
          key={`${state.opened}/${sheet.name}`}
          sheet={sheet}
          forms={host.formsLookedFor()}
          selected={state.selected?.sheet === sheet.name ? state.selected : null}
        />
      )}
    </section>
  );
}

function Grid({
  sheet,
  forms,
  selected,
}: {
  sheet: BrowserSheet;
  /** The campaign's forms: an uploaded sheet's header rows are found by their labels. */
  forms: readonly FormDefinition[];
  selected: { address: string; seq: number } | null;
}) {
  const { row: top, column: left } = parseAddress(sheet.origin);
  const width = Math.max(1, ...sheet.grid.map((r) => r.length));
  const selectedAt = selected ? parseAddress(selected.address) : null;
  const firstShown =
    selectedAt && sheet.grid.length > WINDOW_ROWS
      ? Math.max(0, Math.min(selectedAt.row - top - WINDOW_ROWS / 2, sheet.grid.length - WINDOW_ROWS))
      : 0;
  const rows = sheet.grid.slice(firstShown, firstShown + WINDOW_ROWS);
  const selectedRef = useRef<HTMLTableCellElement | null>(null);
  const tableRef = useRef<HTMLTableElement | null>(null);
  const spans = useMemo(() => mergeSpans(sheet.merges), [sheet.merges]);
  // The sheet's own header rows (a written sheet knows them; an uploaded one is read by its labels).
  const headerRows = useMemo(() => {
    if (sheet.layout) return sheet.layout.header;
    const found = findHeader(sheet.grid, forms);
    return found ? { firstRow: top + found.firstRow, lastRow: top + found.lastRow } : null;
  }, [forms, sheet, top]);

  // Header rows stay in view while the grid scrolls: each row sticks below the column letters and the rows above
  // it, so their offsets are measured once the table is laid out.
  useLayoutEffect(() => {
    const table = tableRef.current;
    if (!table) return;
    let offset = table.tHead?.getBoundingClientRect().height ?? 0;
    for (const row of table.querySelectorAll<HTMLTableRowElement>('tr.sticky-row')) {
      for (const cell of row.cells) cell.style.top = `${offset}px`;
      offset += row.getBoundingClientRect().height;
    }
  });

  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'center', inline: 'center' });
  }, [selected?.seq]);

  return (
    <div className="sheet-grid" role="region" aria-label={`工作表「${sheet.name}」`}>
      {sheet.grid.length > WINDOW_ROWS && (
        <p className="sheet-note">
          共 {sheet.grid.length} 行,显示第 {top + firstShown} 至 {top + firstShown + rows.length - 1}{' '}
          行;点击右侧问题列表可跳到对应单元格。
        </p>
      )}
      <table ref={tableRef}>
        <thead>
          <tr>
            <th />
            {Array.from({ length: width }, (_, c) => (
              <th key={c}>{columnLetter(left + c)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, i) => {
            const rowNumber = top + firstShown + i;
            const header = !!headerRows && rowNumber >= headerRows.firstRow && rowNumber <= headerRows.lastRow;
            // Data cells of a sheet the pane wrote show as Excel shows them (60.5%, not 0.6046…).
            const formats =
              sheet.layout && rowNumber >= sheet.layout.data.firstRow && rowNumber <= sheet.layout.data.lastRow
                ? sheet.layout.numberFormats
                : [];
            return (
              <tr key={rowNumber} className={header ? 'header-row sticky-row' : undefined}>
                <th>{rowNumber}</th>
                {Array.from({ length: width }, (_, c) => {
                  const address = `${columnLetter(left + c)}${rowNumber}`;
                  if (spans.covered.has(address)) return null;
                  const span = spans.masters.get(address);
                  const mark = sheet.marks.get(address);
                  const isSelected = selected?.address === address;
                  return (
                    <td
                      key={c}
                      rowSpan={span?.rows}
                      colSpan={span?.columns}
                      data-cell={address}
                      data-mark={mark?.severity}
                      ref={isSelected ? selectedRef : undefined}
                      className={isSelected ? 'selected' : undefined}
                      style={mark ? { background: MARK_COLORS[mark.severity] } : undefined}
                      title={mark ? mark.messages.join('\n') : undefined}
                    >
                      {formattedText(cells[c], formats[left + c - 1])}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** An Excel 97-2003 workbook (.xls): its name, or the OLE2 signature of its bytes whatever the name says. */
function isOldExcel(name: string, bytes: ArrayBuffer): boolean {
  const head = new Uint8Array(bytes.slice(0, 4));
  return /\.xls$/i.test(name) || (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0);
}

/** A merged area shows as its first cell stretched over the others, as in Excel. */
function mergeSpans(merges: string[]): {
  masters: Map<string, { rows: number; columns: number }>;
  covered: Set<string>;
} {
  const masters = new Map<string, { rows: number; columns: number }>();
  const covered = new Set<string>();
  for (const range of merges) {
    const [first, last] = range.split(':');
    if (!last) continue;
    const a = parseAddress(first);
    const b = parseAddress(last);
    masters.set(cellAddress(a.row, a.column), { rows: b.row - a.row + 1, columns: b.column - a.column + 1 });
    for (let r = a.row; r <= b.row; r++) {
      for (let c = a.column; c <= b.column; c++) if (r !== a.row || c !== a.column) covered.add(cellAddress(r, c));
    }
  }
  return { masters, covered };
}
