// The receipt of a submission, worth keeping: a number to quote (TR-20191114-附件1-v2), dates as 2019年11月14日,
// what changed in words rather than lists of row numbers, and a print button (the print stylesheet shows only it).
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { forwardRef } from 'react';
import type { FormDefinition } from '../../forms/spec';
import { receiptNumber, type MeResponse, type Receipt } from '../../contract/api';
import { chineseDay, chineseDateTime } from './dates';

const PRINT_CSS = `@media print {
  body * { visibility: hidden; }
  .receipt-print, .receipt-print * { visibility: visible; }
  .receipt-print { position: absolute; left: 0; top: 0; width: 100%; color: #000; background: #fff; }
  .receipt-print .no-print { display: none; }
}`;

const useStyles = makeStyles({
  facts: { margin: '4px 0', display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: '8px', rowGap: '2px' },
  number: { fontFamily: 'Consolas, "Courier New", monospace', fontWeight: 600 },
});

/** `较上次:新增 2 件,办结 3 件` — counts only; a first submission says how many cases it holds. */
export function changeSummary(receipt: Receipt, form: FormDefinition): string {
  const c = receipt.changes;
  if (form.kind === 'summary') {
    if (!receipt.previousId) return '首次报送。';
    if (!c.changed.length) return '与上次相同。';
    const names = c.changed.map((k) => form.columns.find((col) => col.key === k)?.title ?? String(k));
    return `较上次有变化的栏目:${names.join('、')}。`;
  }
  if (!receipt.previousId) return `首次报送 ${receipt.rowCount} 件。`;
  const parts = [
    c.added.length && `新增 ${c.added.length} 件`,
    c.changed.length && `修改 ${c.changed.length} 件`,
    c.newlyClosed.length && `新办结 ${c.newlyClosed.length} 件`,
    c.removed.length && `删除 ${c.removed.length} 件`,
    c.rebounds.length && `反弹 ${c.rebounds.length} 件(已办结改回未办结)`,
  ].filter(Boolean);
  return parts.length ? `较上次:${parts.join(',')}。` : '与上次相比没有变化。';
}

/** The receipt of a submission of `form` (the campaign's form it was checked against). */
export const ReceiptView = forwardRef<HTMLDivElement, { receipt: Receipt; me: MeResponse; form: FormDefinition }>(
  function ReceiptView({ receipt, me, form: definition }, ref) {
    const styles = useStyles();
    const number = receiptNumber(me.unit.code, definition.tag, receipt);
    const form = definition.tag;
    return (
      <div ref={ref} tabIndex={-1} className="receipt-print" role="region" aria-label="回执">
        <style>{PRINT_CSS}</style>
        <MessageBar intent={receipt.unchanged ? 'info' : receipt.late ? 'warning' : 'success'} layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>
              {receipt.unchanged
                ? `与第 ${receipt.version} 版相同,无需重复提交`
                : `${receipt.late ? '已提交(逾期)' : '已按时提交'}:${form} ${chineseDay(receipt.round)}轮次第 ${receipt.version} 版`}
            </MessageBarTitle>
            <dl className={styles.facts}>
              <dt>回执编号</dt>
              <dd className={styles.number}>{number}</dd>
              <dt>报送单位</dt>
              <dd>{me.unit.name}</dd>
              <dt>表格</dt>
              <dd>
                {form}({chineseDay(receipt.round)}轮次)
              </dd>
              <dt>提交时间</dt>
              <dd>{chineseDateTime(receipt.submittedAt)}</dd>
              <dt>数据截至</dt>
              <dd>{chineseDay(receipt.asOf)}</dd>
              <dt>联系人</dt>
              <dd>
                {receipt.contact.name} {receipt.contact.phone}
              </dd>
            </dl>
            {receipt.unchanged ? (
              <div>表格内容和数据截至日期与已提交的第 {receipt.version} 版完全相同,本次没有保存新版本。</div>
            ) : (
              <div aria-label="变化">{changeSummary(receipt, definition)}</div>
            )}
            {receipt.unchanged && receipt.review?.decision === 'returned' && (
              <div role="alert">
                第 {receipt.version} 版已被{receipt.review.byName}退回({chineseDateTime(receipt.review.at)}):
                {receipt.review.comment || '未写明原因'}。请按退回意见修改表格后再提交。
              </div>
            )}
            {receipt.late && !receipt.unchanged && <div>已超过本轮报送截止时间,系统已记录为逾期报送。</div>}
            {receipt.warnings.length > 0 && (
              <div>
                <Text weight="semibold">提醒({receipt.warnings.length} 条,已记录):</Text>
                <ul>
                  {receipt.warnings.slice(0, 30).map((w, i) => (
                    <li key={i}>{w.message}</li>
                  ))}
                </ul>
              </div>
            )}
            <Button className="no-print" size="small" onClick={() => window.print()}>
              打印回执
            </Button>
          </MessageBarBody>
        </MessageBar>
      </div>
    );
  },
);
