// The prefecture office: who has reported this round, each of the campaign's forms consolidated, statistics and
// the callback sample as new sheets — buttons for whatever forms the campaign published.
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
  Textarea,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { FormId, Issue } from '../../forms/types';
import { newIdempotencyKey, type ApiClient } from '../api/client';
import type {
  MeResponse,
  ProgressResponse,
  RemindersResponse,
  ReviewDecision,
  RoundStatus,
  StatusResponse,
  UnitRoundStatus,
} from '../../contract/api';
import { REVIEW_STATE_LABELS, STATUS_LABELS } from '../../contract/api';
import { formName } from '../campaign';
import type { FormCatalog } from '../../forms/spec';
import type { WorkbookHost } from '../workbook/types';
import { chineseDay, formatDateTime, todayInShanghai } from './dates';
import {
  callbackSampling,
  normalizeSampleNumber,
  pullCallbackSample,
  pullPrefectureSheet,
  pullProgressSheet,
  submitCallbackSheet,
  type PrefectureSheet,
} from './flows';
import { IssueList } from './IssueList';
import { ProgressCharts } from './ProgressCharts';
import { RoundSelect } from './RoundSelect';
import type { KeyValueStorage } from './settings';
import { toFailure, type Task } from './task';
import { campaignCalendar, useCampaign } from './useCampaign';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '8px' },
  row: { display: 'flex', gap: '6px', flexWrap: 'wrap' },
  // A unit's line starts level with its name: contacts make cells of different heights.
  cell: { verticalAlign: 'top' },
  badge: { padding: '0 6px', borderRadius: tokens.borderRadiusMedium, fontWeight: tokens.fontWeightSemibold },
  ontime: { background: tokens.colorPaletteGreenBackground2, color: tokens.colorPaletteGreenForeground2 },
  late: { background: tokens.colorPaletteDarkOrangeBackground2, color: tokens.colorPaletteDarkOrangeForeground2 },
  carried: { background: tokens.colorPaletteYellowBackground2, color: tokens.colorNeutralForeground1 },
  missing: { background: tokens.colorPaletteRedBackground2, color: tokens.colorPaletteRedForeground2 },
  contact: { display: 'block', color: tokens.colorNeutralForeground2, fontSize: tokens.fontSizeBase200 },
  pending: { color: tokens.colorPaletteBlueForeground2 },
  approved: { color: tokens.colorPaletteGreenForeground1 },
  returned: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  review: {
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    padding: '8px',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
});

const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/** A unit's form the office is reviewing: from the board's cell. */
interface Reviewing {
  unitName: string;
  form: FormId;
  status: UnitRoundStatus;
}

/** `附件1 已报 3/4,逾期 1`: reported this round (on time or late) of all units, late ones said apart. */
export function statusSummary(status: StatusResponse, forms: FormCatalog, form: FormId): string {
  const all = status.units.map((u) => u.forms[form].status);
  const count = (...s: RoundStatus[]) => all.filter((x) => s.includes(x)).length;
  const reported = count('ontime', 'late');
  const parts = [`${formName(forms, form)} 已报 ${reported}/${all.length}`];
  if (count('late')) parts.push(`逾期 ${count('late')}`);
  if (count('carried')) parts.push(`沿用上期 ${count('carried')}`);
  if (count('missing')) parts.push(`未报 ${count('missing')}`);
  return parts.join(',');
}

function StatusCell({ s, label, onReview }: { s: UnitRoundStatus; label: string; onReview?: () => void }) {
  const styles = useStyles();
  return (
    <>
      <span className={`${styles.badge} ${styles[s.status]}`}>{STATUS_LABELS[s.status]}</span>
      {s.review && (
        <span className={styles.contact}>
          <span className={styles[s.review]}>{REVIEW_STATE_LABELS[s.review]}</span>
          {onReview && (
            <Button size="small" appearance="transparent" aria-label={`审核${label}`} onClick={onReview}>
              审核
            </Button>
          )}
        </span>
      )}
      {s.contactName && (
        <span className={styles.contact}>
          {s.contactName} {s.contactPhone ?? ''}
        </span>
      )}
      {s.submittedAt && <span className={styles.contact}>{formatDateTime(s.submittedAt)}</span>}
    </>
  );
}

export function PrefecturePanel(props: {
  host: WorkbookHost;
  api: ApiClient;
  me: MeResponse;
  /** The campaign the pane works in (App's choice). */
  campaignId: string;
  storage: KeyValueStorage;
  task: Task;
}) {
  const { host, api, me, task } = props;
  const styles = useStyles();
  const calendar = campaignCalendar(me, props.campaignId);
  const rounds = calendar.rounds;
  const [round, setRound] = useState(calendar.nextDue ?? rounds[rounds.length - 1] ?? '');
  const { campaign, error: campaignError, load } = useCampaign(api, props.storage, props.campaignId, round || null);
  const forms = campaign?.forms.forms ?? [];
  const nameOf = (id: FormId) => (campaign ? formName(campaign.forms, id) : id);
  const sampling = campaign ? callbackSampling(campaign) : null;
  // The statistics follow the ledger with a status column (附件1 是否办结), preferring the one sampled for callbacks.
  const statusForm = sampling?.form ?? forms.find((f) => f.kind === 'ledger' && f.status);
  const sheets: { what: PrefectureSheet; label: string }[] = [
    { what: { kind: 'status' }, label: '报送情况' },
    ...forms.map((f) => ({ what: { kind: 'form' as const, form: f.id }, label: `汇总${f.tag}` })),
    ...(statusForm ? [{ what: { kind: 'stats' as const, form: statusForm }, label: '统计' }] : []),
    { what: { kind: 'reminders' }, label: '催报表' },
  ];
  const [status, setStatus] = useState<StatusResponse | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sampleNumber, setSampleNumber] = useState('');
  const [callbackIssues, setCallbackIssues] = useState<Issue[]>([]);
  const [progress, setProgress] = useState<ProgressResponse | null>(null);
  const [reviewing, setReviewing] = useState<Reviewing | null>(null);
  const [reminders, setReminders] = useState<RemindersResponse | null>(null);
  const [copied, setCopied] = useState<string | null>(null);

  const showReminders = () =>
    task.run('正在生成催报名单…', async () => {
      setCopied(null);
      setReminders(await api.reminders(round));
    });
  // Office's webviews may refuse the clipboard: then the text is selected for Ctrl+C.
  const copyReminders = async (area: HTMLTextAreaElement | null) => {
    if (!reminders) return;
    try {
      await navigator.clipboard.writeText(reminders.text);
      setCopied('已复制催报文字,可粘贴到微信、短信或办公系统。');
    } catch {
      area?.select();
      setCopied('无法直接复制:文字已选中,请按 Ctrl+C 复制。');
    }
  };
  // The issues are of the 回访样本 sheet just read: the one on screen, else the round's.
  const selectIssueCell = async (cell: string) => {
    const sheets = await host.listSheets();
    const active = await host.activeSheet();
    const name = active?.startsWith('回访样本') ? active : sheets.find((n) => n.startsWith('回访样本'));
    if (name) await host.selectCell(name, cell);
  };
  const remindersRef = useRef<HTMLTextAreaElement | null>(null);
  const [comment, setComment] = useState('');
  const busy = task.busy !== null;

  // 通过 / 退回 the version shown on the board; the board reloads so the office sees the new state at once.
  const decide = (decision: ReviewDecision) =>
    task.run(decision === 'approved' ? '正在提交审核结果…' : '正在退回…', async () => {
      if (!reviewing?.status.submissionId) return;
      const what = `${reviewing.unitName}${nameOf(reviewing.form)}第 ${reviewing.status.version} 版`;
      if (decision === 'returned' && !comment.trim()) throw new Error('退回时请在「审核意见」中写明需要修改的内容。');
      setNotice(null);
      await api.review(reviewing.status.submissionId, { decision, comment: comment.trim() }, newIdempotencyKey());
      setReviewing(null);
      setComment('');
      setStatus(await api.status(round));
      setNotice(decision === 'approved' ? `已通过${what}。` : `已退回${what},该单位在填报页可看到审核意见。`);
    });

  const pull = (what: PrefectureSheet, label: string) =>
    task.run(`正在生成${label}…`, async () => {
      setNotice(null);
      const sheet = await pullPrefectureSheet(host, api, me, await load(), what, round, (p) => {
        if (p.phase === 'page' && (p.page ?? 1) > 1) task.setProgress(`正在下载${label}第 ${p.page} 页…`);
      });
      setNotice(host.kind === 'browser' ? `已下载「${sheet}.xlsx」。` : `已生成工作表「${sheet}」。`);
    });

  // The rounds side by side: Excel gets its own charts where the build has them; the browser page draws them here.
  const pullProgress = () =>
    task.run('正在生成各轮统计…', async () => {
      setNotice(null);
      const got = await pullProgressSheet(host, api);
      if (host.kind === 'browser') {
        setProgress(await api.progress());
        setNotice(`已下载「${got.sheet}.xlsx」;图表见下方。`);
      } else
        setNotice(
          got.charts > 0
            ? `已生成工作表「${got.sheet}」,含 ${got.charts} 张图表。`
            : `已生成工作表「${got.sheet}」(此版本 Excel 不支持所需的图表功能,只生成表格)。`,
        );
    });

  // The server draws once and keeps the sample: the number (typed, else the server's) only matters the first time.
  const drawSample = () =>
    task.run('正在抽取回访样本…', async () => {
      setNotice(null);
      setCallbackIssues([]);
      const typed = sampleNumber.trim();
      const number = typed ? normalizeSampleNumber(typed) : undefined;
      if (number === null) throw new Error('抽样号请填写数字(最多9位),或留空由系统随机生成。');
      const plan = callbackSampling(await load());
      if (!plan) throw new Error('本专项行动没有设定回访抽样。');
      const got = await pullCallbackSample(host, api, plan, round, number);
      if (!got.sheet || !got.sample) {
        setNotice(got.nothing ?? `${chineseDay(round)}轮次没有可回访的案件。`);
        return;
      }
      const { sample } = got;
      const closed = sample.units.reduce((n, u) => n + u.closed, 0);
      setSampleNumber(sample.seed.slice(sample.seed.indexOf('#') + 1));
      const where = host.kind === 'browser' ? `已下载「${got.sheet}.xlsx」` : `已生成工作表「${got.sheet}」`;
      const when = sample.created
        ? `从 ${closed} 件${plan.form.status!.closed}案件中抽取 ${sample.cases.length} 件(抽样种子 ${sample.seed}),样本已保存,不会重新抽取。`
        : `本轮样本已于 ${formatDateTime(sample.drawnAt)} 由${sample.drawnByName}抽取(抽样种子 ${sample.seed}),共 ${sample.cases.length} 件,不会重新抽取;已填入保存的回访结果。`;
      setNotice(`${where}:${when}填写回访方式、日期、结果后点「提交回访结果」。`);
    });

  const submitCallbacks = () =>
    task.run('正在提交回访结果…', async () => {
      setNotice(null);
      setCallbackIssues([]);
      const got = await submitCallbackSheet(host, api, round, todayInShanghai());
      if (got.issues.length > 0) {
        setCallbackIssues(got.issues);
        setNotice(null);
        throw new Error(`「${got.sheet}」有 ${got.issues.length} 处需要修改(已在表中标出),均未提交。`);
      }
      const t = got.sample!.totals;
      const figures = `回访完成率 ${percent(t.coverage)}(${t.visited}/${t.sampled}),满意率 ${percent(t.satisfaction)}${t.dissatisfied ? `,不满意 ${t.dissatisfied} 件已通知相关县重新办理` : ''}。`;
      setNotice(
        got.sent === 0
          ? `「${got.sheet}」的回访结果与已保存的相同,无需重复提交。${figures}`
          : `已提交 ${got.sent} 条回访结果。${figures}`,
      );
    });

  // The board loads by itself when the tab opens and whenever the round changes (not through task.run: the tab
  // opens while the connect task may still be finishing).
  useEffect(() => {
    let live = true;
    api.status(round).then(
      (got) => live && setStatus(got),
      (err) => live && setNotice(`暂时无法读取报送情况:${toFailure(err).message}`),
    );
    return () => void (live = false);
  }, [api, round]);

  const showStatus = () =>
    task.run('正在查询报送情况…', async () => {
      setStatus(await api.status(round));
    });

  // One click: everything the office sends up or files for the round.
  const pullAll = () =>
    task.run('正在生成本轮全部汇总表…', async () => {
      setNotice(null);
      const names: string[] = [];
      const loaded = await load();
      // The tables the office sends up or files: not the statistics or the 催报 list.
      for (const { what, label } of sheets.filter((s) => s.what.kind !== 'stats' && s.what.kind !== 'reminders')) {
        task.setProgress(`正在生成${label}…`);
        names.push(await pullPrefectureSheet(host, api, me, loaded, what, round));
      }
      const list = names.map((n) => (host.kind === 'browser' ? `「${n}.xlsx」` : `「${n}」`)).join('、');
      setNotice(host.kind === 'browser' ? `已下载 ${names.length} 个文件:${list}。` : `已生成工作表:${list}。`);
    });

  return (
    <div className={styles.panel}>
      <RoundSelect
        label="轮次"
        rounds={rounds}
        current={calendar.nextDue}
        value={round}
        onChange={(r) => {
          setRound(r);
          setStatus(null);
          setReviewing(null);
          setReminders(null);
        }}
      />
      <Button disabled={busy} onClick={showStatus}>
        刷新报送情况
      </Button>
      {status && (
        <Text role="status" aria-label="报送情况摘要">
          {campaign?.forms.ids.map((f) => statusSummary(status, campaign.forms, f)).join(';')}
        </Text>
      )}
      {status && (
        <Table size="extra-small" aria-label="报送情况">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>单位</TableHeaderCell>
              {forms.map((f) => (
                <TableHeaderCell key={f.id}>{f.tag}</TableHeaderCell>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {status.units.map((u) => (
              <TableRow key={u.unit}>
                <TableCell className={styles.cell}>
                  {u.unitName}
                  <span className={styles.contact}>
                    {u.contact ? `联系人 ${u.contact.name} ${u.contact.phone}` : '未登记联系人'}
                  </span>
                </TableCell>
                {forms.map(({ id: f }) => (
                  <TableCell key={f} className={styles.cell}>
                    <StatusCell
                      s={u.forms[f]}
                      label={`${u.unitName}${nameOf(f)}`}
                      onReview={
                        busy
                          ? undefined
                          : () => {
                              setReviewing({ unitName: u.unitName, form: f, status: u.forms[f] });
                              setComment(u.forms[f].reviewComment ?? '');
                            }
                      }
                    />
                  </TableCell>
                ))}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {reviewing && (
        <section className={styles.review} aria-label="审核">
          <Text weight="semibold">
            审核 {reviewing.unitName} {nameOf(reviewing.form)} 第 {reviewing.status.version} 版
          </Text>
          <Text size={200}>
            {reviewing.status.contactName} {reviewing.status.contactPhone ?? ''} · 提交于{' '}
            {formatDateTime(reviewing.status.submittedAt!)} · {reviewing.status.rowCount} 行 · 当前:
            {REVIEW_STATE_LABELS[reviewing.status.review!]}
          </Text>
          <Field label="审核意见" hint="退回时必填,写明需要修改的内容;该单位在填报页可看到">
            <Textarea value={comment} maxLength={500} onChange={(_, d) => setComment(d.value)} />
          </Field>
          <div className={styles.row}>
            <Button appearance="primary" disabled={busy} onClick={() => decide('approved')}>
              通过
            </Button>
            <Button disabled={busy} onClick={() => decide('returned')}>
              退回
            </Button>
            <Button appearance="subtle" disabled={busy} onClick={() => setReviewing(null)}>
              取消
            </Button>
          </div>
        </section>
      )}
      <Text weight="semibold">{host.kind === 'browser' ? '下载为 .xlsx 文件' : '写入新工作表'}</Text>
      <Button appearance="primary" disabled={busy} onClick={pullAll}>
        {host.kind === 'browser' ? '下载' : '生成'}本轮全部汇总表
      </Button>
      <div className={styles.row}>
        {sheets.map((s) => (
          <Button key={s.label} size="small" disabled={busy} onClick={() => pull(s.what, s.label)}>
            {s.label}
          </Button>
        ))}
        <Button size="small" disabled={busy} onClick={pullProgress}>
          各轮统计
        </Button>
      </div>
      {progress && <ProgressCharts progress={progress} />}
      <Text weight="semibold">催报</Text>
      <Button disabled={busy} onClick={showReminders}>
        生成本轮催报名单
      </Button>
      {reminders && (
        <section className={styles.review} aria-label="催报名单">
          <Text size={200}>
            {reminders.units.length === 0
              ? '各单位均已按时报送,无需催报。'
              : `共 ${reminders.units.length} 个单位${reminders.overdue ? '逾期未报或逾期报送' : '尚未报送或逾期报送'}。`}
          </Text>
          <Field label="催报文字(可复制粘贴)">
            <Textarea
              ref={remindersRef}
              value={reminders.text}
              readOnly
              rows={Math.min(10, reminders.units.length + 3)}
            />
          </Field>
          <div className={styles.row}>
            <Button size="small" onClick={() => void copyReminders(remindersRef.current)}>
              复制文字
            </Button>
            <Button size="small" disabled={busy} onClick={() => pull({ kind: 'reminders' }, '催报表')}>
              {host.kind === 'browser' ? '下载催报表' : '写入催报表'}
            </Button>
          </div>
          {copied && <Text size={200}>{copied}</Text>}
        </section>
      )}
      {sampling && (
        <>
          <Text weight="semibold">回访抽样</Text>
          <Field label="抽样号" hint="留空则由系统随机生成;每轮只抽一次,再次点击取回已保存的样本">
            <Input
              value={sampleNumber}
              inputMode="numeric"
              placeholder="如 4821"
              onChange={(_, d) => setSampleNumber(d.value)}
            />
          </Field>
          <div className={styles.row}>
            <Button disabled={busy} onClick={drawSample}>
              抽取回访样本({Math.round(sampling.rate * 1000) / 10}%)
            </Button>
            <Button disabled={busy} onClick={submitCallbacks}>
              提交回访结果
            </Button>
          </div>
          {callbackIssues.length > 0 && (
            <IssueList issues={callbackIssues} onSelect={(cell) => void selectIssueCell(cell)} />
          )}
        </>
      )}
      {campaignError && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            无法读取「{calendar.name}」的表格:{campaignError}
          </MessageBarBody>
        </MessageBar>
      )}
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
