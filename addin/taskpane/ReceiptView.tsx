import { MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { formOf } from '../forms';
import type { Receipt } from '../../contract/api';
import { formatDateTime } from './dates';
import { FORM_NAMES } from './flows';

const seqList = (seqs: (number | string)[]) =>
  seqs.length ? `(${seqs.slice(0, 20).join('、')}${seqs.length > 20 ? '…' : ''})` : '';

/** The receipt of a submission: version, on time or late, what changed, the server's warnings. */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const c = receipt.changes;
  const form = formOf(receipt.form);
  const ledger = form.kind === 'ledger';
  return (
    <MessageBar intent={receipt.late ? 'warning' : 'success'} layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>
          {receipt.late ? '已提交(逾期)' : '已按时提交'}:{FORM_NAMES[receipt.form]} {receipt.round} 轮次第{' '}
          {receipt.version} 版
        </MessageBarTitle>
        <div>
          共 {receipt.rowCount} 行,提交时间 {formatDateTime(receipt.submittedAt)},数据截至 {receipt.asOf}。
        </div>
        {receipt.late && <div>已超过本轮报送截止时间,系统已记录为逾期报送。</div>}
        <div aria-label="变化">
          {ledger ? (
            <>
              较上次:新增 {c.added.length} 件{seqList(c.added)},修改 {c.changed.length} 件{seqList(c.changed)},新办结{' '}
              {c.newlyClosed.length} 件{seqList(c.newlyClosed)},删除 {c.removed.length} 件{seqList(c.removed)},反弹{' '}
              {c.rebounds.length} 件{seqList(c.rebounds)}。
            </>
          ) : c.changed.length ? (
            <>
              较上次有变化的栏目:
              {c.changed.map((k) => form.columns.find((col) => col.key === k)?.title ?? String(k)).join('、')}。
            </>
          ) : (
            <>与上次相同或为首次报送。</>
          )}
        </div>
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
      </MessageBarBody>
    </MessageBar>
  );
}
