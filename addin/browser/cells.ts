// Plain helpers for showing sheet cells on the page; no DOM, no ExcelJS.
import type { CellValue, Severity } from '../../forms/types';
import { cellAddress, parseAddress } from '../../forms/address';

/** What a cell shows, as Excel would display it (formula results, rich text joined, dates as YYYY-MM-DD). */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return value.text;
  if ('error' in value) return value.error;
  if ('result' in value)
    return value.result === undefined || value.result === null ? '' : cellText(value.result as CellValue);
  return '';
}

/**
 * A number as Excel shows it under the formats the pane writes: `0.0%` → 60.5%, `0` / `0.00` → fixed decimals.
 * Any other format or value shows as cellText does.
 */
export function formattedText(value: CellValue, format: string | null | undefined): string {
  if (typeof value !== 'number' || !format) return cellText(value);
  const fixed = /^0(?:\.(0+))?(%?)$/.exec(format);
  if (!fixed) return cellText(value);
  const decimals = fixed[1]?.length ?? 0;
  return fixed[2] ? `${(value * 100).toFixed(decimals)}%` : value.toFixed(decimals);
}

/** Every cell address in `H6` or `B6:D6`. Unreadable addresses yield nothing (the issue list still shows them). */
export function cellsOf(reference: string): string[] {
  const [first, last = first] = reference.split(':');
  try {
    const a = parseAddress(first);
    const b = parseAddress(last);
    const cells: string[] = [];
    for (let r = Math.min(a.row, b.row); r <= Math.max(a.row, b.row); r++) {
      for (let c = Math.min(a.column, b.column); c <= Math.max(a.column, b.column); c++) cells.push(cellAddress(r, c));
    }
    return cells;
  } catch {
    return [];
  }
}

export interface CellMark {
  severity: Severity;
  messages: string[];
}

/** Errors outrank warnings when one cell has both. */
export function mergeMark(existing: CellMark | undefined, severity: Severity, message: string): CellMark {
  if (!existing) return { severity, messages: [message] };
  return {
    severity: existing.severity === 'error' || severity === 'error' ? 'error' : 'warning',
    messages: [...existing.messages, message],
  };
}
