// The county's flows: insert a blank 附件, find the 附件 sheet, 校验, 提交, 拉取上次填报.
import {
  Button,
  Field,
  Input,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Select,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormId } from '../../forms/types';
import { ApiError, newIdempotencyKey, type ApiClient, type RequestProgress } from '../api/client';
import type { MeResponse, Receipt, SubmissionSummary } from '../../contract/api';
import type { FormSheet, HostCapabilities, WorkbookHost } from '../workbook/types';
import { AS_OF_HINTS, chineseDay, defaultAsOf, formatDateTime, todayInShanghai } from './dates';
import {
  checkSheet,
  currentSubmission,
  findFormSheets,
  FORM_NAMES,
  insertTemplate,
  placeServerIssues,
  progressRequired,
  pullLast,
  submissionFingerprint,
  submitBody,
  submitChecked,
  type CheckResult,
} from './flows';
import { IssueList } from './IssueList';
import { RoundSelect } from './RoundSelect';
import { ReceiptView } from './ReceiptView';
import type { Settings } from './settings';
import { toFailure, type Task } from './task';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '10px' },
  section: {
    display: 'flex',
    flexDirection: 'column',
    gap: '6px',
    paddingBottom: '8px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  row: { display: 'flex', gap: '6px', flexWrap: 'wrap' },
});

const PROGRESS: Record<RequestProgress['phase'], [string, number]> = {
  compressing: ['正在压缩数据…', 0.4],
  sending: ['正在上传…', 0.6],
  retrying: ['网络不稳定,正在重试…', 0.6],
  receiving: ['正在接收回执…', 0.9],
  page: ['正在下载…', 0.5],
};

/** What an older Excel cannot do, in the clerk's words. */
export function missingFeatures(caps: HostCapabilities): string[] {
  const missing: string[] = [];
  if (!caps.dataValidation) missing.push('「是否办结」没有下拉列表');
  if (!caps.notes) missing.push('问题不会以批注形式附在单元格上');
  if (!caps.protection) missing.push('拉取的上次填报无法锁定前6栏');
  return missing;
}

/** A typed 数据截至 the server would refuse, said before anything is read or sent. */
function checkAsOf(asOf: string, today: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error('请填写「数据截至」日期(如 2019-11-03)后再提交。');
  if (asOf > today) throw new Error(`「数据截至」不能晚于今天(${chineseDay(today)}),请改正后再提交。`);
}

export function FillPanel(props: {
  host: WorkbookHost;
  api: ApiClient;
  me: MeResponse;
  settings: Settings;
  onSettings: (s: Settings) => void;
  task: Task;
}) {
  const { host, api, me, task } = props;
  const styles = useStyles();
  const rounds = me.campaign.rounds;
  const [sheets, setSheets] = useState<FormSheet[]>([]);
  const [sheet, setSheet] = useState<string | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [round, setRound] = useState(me.nextDue ?? rounds[rounds.length - 1] ?? '');
  // What the clerk typed; until then the field shows the default worked out from the sheet and the round.
  const [typedAsOf, setTypedAsOf] = useState<string | null>(null);
  const [contactName, setContactName] = useState(props.settings.contactName);
  const [contactPhone, setContactPhone] = useState(props.settings.contactPhone);
  const [current, setCurrent] = useState<SubmissionSummary | null | undefined>(undefined);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const [caps, setCaps] = useState<HostCapabilities | null>(null);
  const unanswered = useRef<{ key: string; fingerprint: string } | null>(null);
  const form: FormId | undefined = sheets.find((s) => s.name === sheet)?.form;
  const today = todayInShanghai();
  const asOfDefault = defaultAsOf({ meta: check?.parsed.meta, round, today });
  const asOf = typedAsOf ?? asOfDefault.date;

  useEffect(() => {
    host.capabilities().then(setCaps, () => setCaps(null));
  }, [host]);
  // Browser page: written sheets are downloads the user fills in WPS and uploads again.
  const inBrowser = host.kind === 'browser';

  const refresh = useCallback(
    async (prefer?: string) => {
      const found = await findFormSheets(host);
      setSheets(found.sheets);
      setSheet(prefer && found.sheets.some((s) => s.name === prefer) ? prefer : found.preferred);
      return found;
    },
    [host],
  );

  // Not through task.run: the pane opens while the connect task is still finishing.
  useEffect(() => {
    refresh().catch((err) => setNotice(toFailure(err).message));
  }, [refresh]);

  // Browser page: a newly uploaded file replaces the workbook.
  useEffect(
    () =>
      host.onWorkbookOpened?.(() => {
        setCheck(null);
        setReceipt(null);
        refresh().catch((err) => setNotice(toFailure(err).message));
      }),
    [host, refresh],
  );

  // What a new submission replaces (basedOn): the unit's current one for this form and round, as shown here.
  useEffect(() => {
    setCurrent(undefined);
    if (!form || !round) return;
    let live = true;
    currentSubmission(api, me, form, round).then(
      (s) => live && setCurrent(s),
      () => live && setCurrent(undefined),
    );
    return () => void (live = false);
  }, [api, me, form, round]);

  const validate = async (): Promise<CheckResult | undefined> => {
    if (!sheet) return undefined;
    task.setProgress('正在读取并校验表格…', 0.2);
    const requireProgress = form === 'fujian1' && (await progressRequired(api, me, round));
    const result = await checkSheet(host, sheet, { requireProgress });
    setCheck(result);
    return result;
  };

  const onCheck = () => {
    setReceipt(null);
    setNotice(null);
    return task.run('正在校验…', validate);
  };

  const onSubmit = () => {
    setReceipt(null);
    setNotice(null);
    return task.run('正在提交…', async () => {
      if (!contactName.trim() || !contactPhone.trim()) throw new Error('请填写联系人姓名和联系电话后再提交。');
      checkAsOf(asOf, today);
      const result = await validate();
      if (!result) return;
      // The sheet just read may say its own 数据截至 (the state shown above may not have caught up yet).
      const asOfSent = typedAsOf ?? defaultAsOf({ meta: result.parsed.meta, round, today }).date;
      if (result.errors > 0)
        throw new Error(`表格中有 ${result.errors} 处错误,已在表格中标红。请按下方列表修改后再提交。`);
      const contact = { name: contactName.trim(), phone: contactPhone.trim() };
      props.onSettings({ ...props.settings, contactName: contact.name, contactPhone: contact.phone });
      const input = {
        check: result,
        round,
        asOf: asOfSent,
        contact,
        // What this sheet replaces, as shown to the clerk; asked now if it had not arrived yet.
        basedOn:
          (current !== undefined ? current : await currentSubmission(api, me, result.parsed.form!, round))?.id ?? null,
      };
      // One key per click, reused by the client's retries — and by the clerk's next click on the same content
      // when this one never got an answer.
      const fingerprint = submissionFingerprint(submitBody(input));
      const idempotencyKey =
        unanswered.current?.fingerprint === fingerprint ? unanswered.current.key : newIdempotencyKey();
      unanswered.current = { key: idempotencyKey, fingerprint };
      try {
        const got = await submitChecked(api, {
          ...input,
          idempotencyKey,
          onProgress: (p) => {
            const [label, value] = PROGRESS[p.phase];
            task.setProgress(
              p.phase === 'retrying' ? `网络不稳定,正在第 ${(p.attempt ?? 2) - 1} 次重试…` : label,
              value,
            );
          },
        });
        unanswered.current = null;
        setReceipt(got);
        setCurrent({ ...got, current: true });
      } catch (err) {
        if (err instanceof ApiError && err.status > 0 && err.status < 500 && err.status !== 429)
          unanswered.current = null;
        if (err instanceof ApiError && err.status === 422 && err.issues.length) {
          const placed = placeServerIssues(err.issues, result.parsed);
          await host.markIssues(result.sheet, placed);
          throw new ApiError(err.status, err.code, err.message, placed, err.serverMessage);
        }
        if (err instanceof ApiError && err.status === 409)
          setCurrent(await currentSubmission(api, me, result.parsed.form!, round).catch(() => undefined));
        throw err;
      }
    });
  };

  const onInsert = (f: FormId) =>
    task.run(`正在插入${FORM_NAMES[f]}…`, async () => {
      const name = await insertTemplate(host, f, me.unit.name);
      await refresh(name);
      setCheck(null);
      setNotice(
        inBrowser
          ? `已下载空白${FORM_NAMES[f]}「${name}.xlsx」。请用 WPS 或 Excel 填写并保存,再点「上传 .xlsx 文件」上传。`
          : `已插入工作表「${name}」,请从表头下方第一行开始填写。`,
      );
    });

  const onPull = () =>
    task.run('正在拉取上次填报的附件1…', async () => {
      const pulled = await pullLast(host, api, me);
      if (!pulled) {
        setNotice('本单位尚无已提交的附件1。请先插入空白附件1填写并提交。');
        return;
      }
      await refresh(pulled.sheet);
      setCheck(null);
      setNotice(
        inBrowser
          ? `已下载 ${pulled.round} 轮次的 ${pulled.rows} 行附件1「${pulled.sheet}.xlsx」,前6栏已锁定。请用 WPS 或 Excel 只更新「主题教育期间整改进展」和「是否办结」,保存后上传。`
          : `已将 ${pulled.round} 轮次的 ${pulled.rows} 行附件1放入工作表「${pulled.sheet}」。前6栏已锁定,请只更新「主题教育期间整改进展」和「是否办结」。`,
      );
    });

  const issues = task.failure?.issues.length ? task.failure.issues : (check?.parsed.issues ?? []);
  const busy = task.busy !== null;

  return (
    <div className={styles.panel}>
      <div className={styles.section}>
        <Text weight="semibold">表格</Text>
        <div className={styles.row}>
          <Button size="small" disabled={busy} onClick={() => onInsert('fujian1')}>
            {inBrowser ? '下载' : '插入'}空白附件1
          </Button>
          <Button size="small" disabled={busy} onClick={() => onInsert('fujian2')}>
            {inBrowser ? '下载' : '插入'}空白附件2
          </Button>
          <Button size="small" disabled={busy} onClick={onPull}>
            拉取上次填报
          </Button>
        </div>
        {sheets.length > 0 ? (
          <Field label="要校验和提交的工作表">
            <Select
              value={sheet ?? ''}
              onChange={(_, d) => {
                setSheet(d.value);
                setCheck(null);
              }}
            >
              {sheets.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}({FORM_NAMES[s.form]})
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Text size={200}>当前工作簿中没有找到附件1或附件2。请插入空白附件,或打开已填好的表格后点「重新查找」。</Text>
        )}
        <Button
          size="small"
          appearance="subtle"
          disabled={busy}
          onClick={() => task.run('正在查找附件表…', () => refresh())}
        >
          重新查找
        </Button>
      </div>

      {caps && missingFeatures(caps).length > 0 && (
        <Text size={200}>
          当前 Excel 版本较旧,{missingFeatures(caps).join('、')};校验结果照常以颜色和下方列表显示。
        </Text>
      )}

      <div className={styles.section}>
        <RoundSelect label="报送轮次" rounds={rounds} current={me.nextDue} value={round} onChange={setRound} />
        <Field label="数据截至" hint={typedAsOf === null ? AS_OF_HINTS[asOfDefault.from] : undefined}>
          <Input type="date" value={asOf} max={today} onChange={(_, d) => setTypedAsOf(d.value)} />
        </Field>
        <div className={styles.row}>
          <Field label="联系人" style={{ flex: 1 }}>
            <Input value={contactName} onChange={(_, d) => setContactName(d.value)} />
          </Field>
          <Field label="联系电话" style={{ flex: 1 }}>
            <Input value={contactPhone} inputMode="tel" onChange={(_, d) => setContactPhone(d.value)} />
          </Field>
        </div>
        {current && form && (
          <Text size={200}>
            本轮已提交{FORM_NAMES[form]}第 {current.version} 版({formatDateTime(current.submittedAt)},
            {current.contact.name}),再次提交将替换该版本。
          </Text>
        )}
        <div className={styles.row}>
          <Button disabled={busy || !sheet} onClick={onCheck}>
            校验
          </Button>
          <Button appearance="primary" disabled={busy || !sheet} onClick={onSubmit}>
            提交
          </Button>
        </div>
      </div>

      {task.busy && <ProgressBar value={task.progress} aria-label={task.busy} />}
      {task.busy && <Text size={200}>{task.busy}</Text>}
      {notice && (
        <MessageBar intent="info">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {task.failure && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{task.failure.message}</MessageBarBody>
        </MessageBar>
      )}
      {receipt && <ReceiptView receipt={receipt} />}
      {check && !task.failure && !receipt && (
        <MessageBar intent={check.errors ? 'error' : check.warnings ? 'warning' : 'success'}>
          <MessageBarBody>
            {check.parsed.form ? `${FORM_NAMES[check.parsed.form]}共 ${check.parsed.rows.length} 行:` : ''}
            {check.errors ? `${check.errors} 处错误(已标红)` : '没有错误'}
            {check.warnings ? `,${check.warnings} 条提醒(已标黄)` : ''}
            {check.errors ? '。点击下方问题可定位到单元格。' : '。可以提交。'}
          </MessageBarBody>
        </MessageBar>
      )}
      {issues.length > 0 && sheet && (
        <IssueList
          issues={issues}
          onSelect={(cell) =>
            void host
              .selectCell(sheet, cell)
              .catch(() => setNotice(`无法定位到 ${cell}:工作表「${sheet}」可能已被重命名或删除,请点「重新查找」。`))
          }
        />
      )}
    </div>
  );
}
