// The prefecture office: who has reported this round, consolidated 附件1/附件2 and statistics as new sheets.
import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api/client';
import type { MeResponse, StatusResponse } from '../../contract/api';
import { STATUS_LABELS } from '../../contract/api';
import type { WorkbookHost } from '../workbook/types';
import { chineseDay, formatDateTime } from './dates';
import {
  newSampleNumber,
  normalizeSampleNumber,
  pullCallbackSample,
  pullPrefectureSheet,
  type PrefectureSheet,
} from './flows';
import { RoundSelect } from './RoundSelect';
import type { Task } from './task';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '8px' },
  row: { display: 'flex', gap: '6px', flexWrap: 'wrap' },
});

const SHEETS: { what: PrefectureSheet; label: string }[] = [
  { what: 'status', label: '报送情况' },
  { what: 'fujian1', label: '汇总附件1' },
  { what: 'fujian2', label: '汇总附件2' },
  { what: 'stats', label: '统计' },
];

export function PrefecturePanel(props: { host: WorkbookHost; api: ApiClient; me: MeResponse; task: Task }) {
  const { host, api, me, task } = props;
  const styles = useStyles();
  const rounds = me.campaign.rounds;
  const [round, setRound] = useState(me.nextDue ?? rounds[rounds.length - 1] ?? '');
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sampleNumber, setSampleNumber] = useState('');
  const busy = task.busy !== null;

  const pull = (what: PrefectureSheet, label: string) =>
    task.run(`正在生成${label}…`, async () => {
      setNotice(null);
      const sheet = await pullPrefectureSheet(host, api, me, what, round, (p) => {
        if (p.phase === 'page' && (p.page ?? 1) > 1) task.setProgress(`正在下载${label}第 ${p.page} 页…`);
      });
      setNotice(host.kind === 'browser' ? `已下载「${sheet}.xlsx」。` : `已生成工作表「${sheet}」。`);
    });

  // Blank number: a fresh one is drawn and shown in the field, so the office can note it down with the sheet.
  const drawSample = () =>
    task.run('正在抽取回访样本…', async () => {
      setNotice(null);
      const typed = sampleNumber.trim();
      const number = typed ? normalizeSampleNumber(typed) : newSampleNumber();
      if (number === null) throw new Error('抽样号请填写数字(最多9位),或留空由系统随机生成。');
      setSampleNumber(number);
      const got = await pullCallbackSample(host, api, me, round, number, (p) => {
        if (p.phase === 'page' && (p.page ?? 1) > 1) task.setProgress(`正在下载汇总附件1第 ${p.page} 页…`);
      });
      if (!got.sheet) {
        setNotice(`${chineseDay(round)}轮次的汇总附件1中没有已办结的案件,无需抽取回访样本。`);
        return;
      }
      const where = host.kind === 'browser' ? `已下载「${got.sheet}.xlsx」` : `已生成工作表「${got.sheet}」`;
      setNotice(
        `${where}:从 ${got.closed} 件已办结案件中抽取 ${got.drawn} 件。抽样号 ${number}(抽样种子 ${got.seed}),请记下;选同一轮次并填写该抽样号可重新抽出同一样本。`,
      );
    });

  const showStatus = () =>
    task.run('正在查询报送情况…', async () => {
      setStatus(await api.status(round));
    });

  return (
    <div className={styles.panel}>
      <RoundSelect
        label="轮次"
        rounds={rounds}
        current={me.nextDue}
        value={round}
        onChange={(r) => {
          setRound(r);
          setStatus(null);
        }}
      />
      <Button disabled={busy} onClick={showStatus}>
        查看报送情况
      </Button>
      {status && (
        <Table size="extra-small" aria-label="报送情况">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>单位</TableHeaderCell>
              <TableHeaderCell>附件1</TableHeaderCell>
              <TableHeaderCell>附件2</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {status.units.map((u) => (
              <TableRow key={u.unit}>
                <TableCell>{u.unitName}</TableCell>
                {(['fujian1', 'fujian2'] as const).map((f) => (
                  <TableCell
                    key={f}
                    title={
                      u.forms[f].submittedAt
                        ? `${formatDateTime(u.forms[f].submittedAt!)} ${u.forms[f].contactName ?? ''}`
                        : undefined
                    }
                  >
                    {STATUS_LABELS[u.forms[f].status]}
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Text weight="semibold">{host.kind === 'browser' ? '下载为 .xlsx 文件' : '写入新工作表'}</Text>
      <div className={styles.row}>
        {SHEETS.map((s) => (
          <Button key={s.what} size="small" disabled={busy} onClick={() => pull(s.what, s.label)}>
            {s.label}
          </Button>
        ))}
      </div>
      <Text weight="semibold">回访抽样</Text>
      <Field label="抽样号" hint="留空则随机生成;复核时填写原抽样号">
        <Input
          value={sampleNumber}
          inputMode="numeric"
          placeholder="如 4821"
          onChange={(_, d) => setSampleNumber(d.value)}
        />
      </Field>
      <Button disabled={busy} onClick={drawSample}>
        抽取回访样本(20%)
      </Button>
      {task.busy && <ProgressBar aria-label={task.busy} />}
      {task.busy && <Text size={200}>{task.busy}</Text>}
      {notice && (
        <MessageBar intent="success">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
    </div>
  );
}
