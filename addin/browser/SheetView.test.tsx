// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { BrowserWorkbookHost } from './host';
import { SheetView } from './SheetView';
import type { SheetLayout } from '../workbook/types';

beforeAll(() => {
  // jsdom lays nothing out; the view only asks the browser to scroll.
  Element.prototype.scrollIntoView = () => {};
});
afterEach(cleanup);

function layout(rows: number): SheetLayout {
  return {
    sheetName: '大表',
    values: [['标题'], ...Array.from({ length: rows }, (_, i) => [i + 1, `第${i + 1}件`])],
    merges: ['A1:B1'],
    columnWidths: [8, 20],
    header: { firstRow: 1, lastRow: 1 },
    data: { firstRow: 2, lastRow: rows + 1 },
    textColumns: [1],
    numberFormats: [null, '@'],
  };
}

const cell = (address: string) => document.querySelector(`td[data-cell="${address}"]`) as HTMLTableCellElement | null;

describe('SheetView', () => {
  it('shows merged cells as one, marks cells with their messages, and clears the marks', async () => {
    const host = new BrowserWorkbookHost(() => {});
    await host.writeSheet(layout(3));
    render(<SheetView host={host} />);
    expect(cell('A1')?.colSpan).toBe(2);
    expect(cell('B1')).toBeNull();
    expect(cell('B3')?.textContent).toBe('第2件');

    await act(() =>
      host.markIssues('大表', [{ code: 'required', severity: 'error', message: 'B3「内容」不能为空', cell: 'B3' }]),
    );
    expect(cell('B3')?.dataset.mark).toBe('error');
    expect(cell('B3')?.title).toBe('B3「内容」不能为空');
    expect(screen.getByRole('tab', { name: /大表/ }).textContent).toContain('1');

    await act(() => host.clearMarks('大表'));
    expect(cell('B3')?.dataset.mark).toBeUndefined();
  });

  it('shows the statistics the pane wrote as Excel shows them: rates as 60.5%, counts without decimals', async () => {
    const host = new BrowserWorkbookHost(() => {});
    await host.writeSheet({
      sheetName: '统计',
      values: [
        ['单位', '办结率', '案件'],
        ['同仁县', 0.6046511627906976, 43],
        ['尖扎县', 1, 7],
      ],
      merges: [],
      columnWidths: [12, 9, 8],
      header: { firstRow: 1, lastRow: 1 },
      data: { firstRow: 2, lastRow: 3 },
      textColumns: [0],
      numberFormats: ['@', '0.0%', '0'],
    });
    render(<SheetView host={host} />);
    expect(['B1', 'B2', 'C2', 'B3', 'C3'].map((a) => cell(a)?.textContent)).toEqual([
      '办结率',
      '60.5%',
      '43',
      '100.0%',
      '7',
    ]);
  });

  it('shows the part of a long sheet around the cell the issue list points at', async () => {
    const host = new BrowserWorkbookHost(() => {});
    await host.writeSheet(layout(3000));
    render(<SheetView host={host} />);
    expect(cell('A2500')).toBeNull();
    await act(() => host.selectCell('大表', 'A2500'));
    expect(cell('A2500')?.className).toBe('selected');
    expect(screen.getByText(/共 3001 行,显示第 \d+ 至 \d+ 行/)).toBeTruthy();
  });

  it('says what to do when the uploaded file is not an .xlsx', async () => {
    const host = new BrowserWorkbookHost(() => {});
    render(<SheetView host={host} />);
    const file = new File(['序号,市/州'], '附件1.csv', { type: 'text/csv' });
    fireEvent.change(screen.getByTestId('upload'), { target: { files: [file] } });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/无法读取「附件1\.csv」.*另存为/));
  });

  it('shows an uploaded 附件 with its file name', async () => {
    const host = new BrowserWorkbookHost(() => {});
    render(<SheetView host={host} />);
    // jsdom gives modules an http: URL, so the fixture is found from the repository root.
    const bytes = readFileSync(join(process.cwd(), '..', 'shared', 'fixtures', 'fujian1_tongren.xlsx'));
    const file = new File([bytes], '同仁县附件1.xlsx');
    fireEvent.change(screen.getByTestId('upload'), { target: { files: [file] } });
    await waitFor(() => expect(cell('H4')?.textContent).toBe('是否办结'));
    expect(screen.getByText('同仁县附件1.xlsx')).toBeTruthy();
  });
});
