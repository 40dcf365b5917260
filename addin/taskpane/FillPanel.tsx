// The county's flows: insert a blank 附件, find the 附件 sheet, 校验, 提交, 拉取上次填报.
import {
  Button,
  Field,
  Input,
  type InputProps,
  makeStyles,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Select,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState, type Ref } from 'react';
import { expectedLabels } from '../../forms/header';
import { phoneProblem } from '../../forms/phone';
import type { FormId, SheetMeta } from '../../forms/types';
import type { FormCatalog, FormDefinition } from '../../forms/spec';
import { formName, formOf, orList } from '../campaign';
import { ApiError, newIdempotencyKey, type ApiClient, type RequestProgress } from '../api/client';
import type { MeResponse, Receipt, SubmissionSummary } from '../../contract/api';
import type { FormSheet, HostCapabilities, WorkbookHost } from '../workbook/types';
import { AS_OF_HINTS, chineseDateTime, chineseDay, defaultAsOf, todayInShanghai } from './dates';
import {
  checkSheet,
  currentSubmission,
  findFormSheets,
  fixedColumnsLabel,
  fixedColumnsText,
  insertTemplate,
  lastReview,
  openSubmission,
  readSheetMeta,
  sendingUnit,
  placeServerIssues,
  progressRequired,
  pullLast,
  submissionFingerprint,
  submitBody,
  submitChecked,
  type CheckResult,
  type SubmitInput,
} from './flows';
import { IssueList } from './IssueList';
import { RoundSelect } from './RoundSelect';
import { ReceiptView } from './ReceiptView';
import { ContactPanel } from './ContactPanel';
import { StandingPanel, WhoAmI } from './StandingPanel';
import type { KeyValueStorage, Settings } from './settings';
import { toFailure, type Task } from './task';
import { campaignCalendar, useCampaign } from './useCampaign';

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
  field: { flex: '1 1 120px', minWidth: 0 },
  // Fluent's Input keeps a minimum width of its own: in a narrow pane two side by side would overlap.
  input: { minWidth: 0, width: '100%', '& input': { minWidth: 0 } },
});

const PROGRESS: Record<RequestProgress['phase'], [string, number]> = {
  compressing: ['正在压缩数据…', 0.4],
  sending: ['正在上传…', 0.6],
  retrying: ['网络不稳定,正在重试…', 0.6],
  receiving: ['正在接收回执…', 0.9],
  page: ['正在下载…', 0.5],
};

/** What an older Excel cannot do, in the clerk's words (about the campaign's forms, once they are known). */
export function missingFeatures(caps: HostCapabilities, forms: FormCatalog | null): string[] {
  const all = forms?.forms ?? [];
  const choices = [
    ...new Set(all.flatMap((f) => f.columns.filter((c) => c.type === 'choice').map((c) => `「${c.title}」`))),
  ];
  const locked = all
    .filter((f: FormDefinition) => f.kind === 'ledger')
    .map(fixedColumnsLabel)
    .filter(Boolean);
  const missing: string[] = [];
  if (!caps.dataValidation && choices.length) missing.push(`${choices.join('、')}没有下拉列表`);
  if (!caps.notes) missing.push('问题不会以批注形式附在单元格上');
  if (!caps.protection && locked.length) missing.push(`拉取的上次填报无法锁定${locked.join('、')}`);
  return missing;
}

/** A typed 数据截至 the server would refuse, said before anything is read or sent. */
function asOfProblem(asOf: string, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return '请填写「数据截至」日期(如 2019-11-03)。';
  if (asOf > today) return `「数据截至」不能晚于今天(${chineseDay(today)})。`;
  return null;
}

/** Failures of a send, saying what became of the data. */
export function sendFailureMessage(err: unknown, button: string): string | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 0)
    return `提交结果未知:网络中断,无法确认服务器是否已收到这份表格。再次点击「${button}」是安全的——同一份表格只会保存一次。`;
  if (err.status >= 500 || err.status === 429)
    return `提交结果未知:服务器暂时出错(${err.status})。再次点击「${button}」是安全的——同一份表格只会保存一次;多次失败请联系州环境局。`;
  if (err.status === 409) return null;
  return `未提交:服务器没有保存任何数据。${err.message}`;
}

/** What the clerk is about to send, kept while the replace confirmation is on screen. */
interface Prepared {
  input: Omit<SubmitInput, 'idempotencyKey' | 'onProgress'>;
  replaces: SubmissionSummary | null;
}

/** The fields checked before sending; each holds its Chinese message while it stands. */
interface FieldErrors {
  name?: string;
  phone?: string;
  asOf?: string;
}

/** A labelled input with the message of its last check under it (red while it stands). */
function CheckedInput({
  label,
  hint,
  error,
  fieldClassName,
  inputRef,
  onEdit,
  ...input
}: Omit<InputProps, 'onChange'> & {
  label: string;
  hint?: string;
  error: string | undefined;
  fieldClassName?: string;
  inputRef?: Ref<HTMLInputElement>;
  onEdit: (value: string) => void;
}) {
  return (
    <Field
      label={label}
      hint={hint}
      className={fieldClassName}
      validationState={error ? 'error' : 'none'}
      validationMessage={error}
    >
      <Input {...input} ref={inputRef} onChange={(_, d) => onEdit(d.value)} />
    </Field>
  );
}

export function FillPanel(props: {
  host: WorkbookHost;
  api: ApiClient;
  me: MeResponse;
  /** The campaign the pane works in (App's choice). */
  campaignId: string;
  storage: KeyValueStorage;
  settings: Settings;
  onSettings: (s: Settings) => void;
  task: Task;
  /** Where the keyboard goes once connected when there is no 附件 yet (browser page: the upload control). */
  initialFocus?: () => HTMLElement | null;
}) {
  const { host, api, me, task } = props;
  const styles = useStyles();
  const calendar = campaignCalendar(me, props.campaignId);
  const rounds = calendar.rounds;
  const [sheets, setSheets] = useState<FormSheet[]>([]);
  const [sheet, setSheet] = useState<string | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  // What the selected sheet says of itself, read when it is selected: the 数据截至 shown comes from it.
  const [sheetMeta, setSheetMeta] = useState<SheetMeta | undefined>(undefined);
  const [round, setRound] = useState(calendar.nextDue ?? rounds[rounds.length - 1] ?? '');
  const { campaign, error: campaignError, load } = useCampaign(api, props.storage, props.campaignId, round || null);
  const forms = campaign?.forms ?? null;
  const nameOf = (id: FormId) => (forms ? formName(forms, id) : id);
  // What the clerk typed; until then the field shows the default worked out from the sheet and the round.
  const [typedAsOf, setTypedAsOf] = useState<string | null>(null);
  // What this computer used last, else the unit's registered contact.
  const [contactName, setContactName] = useState(props.settings.contactName || me.contact?.name || '');
  const [contactPhone, setContactPhone] = useState(props.settings.contactPhone || me.contact?.phone || '');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  /** An edit of a checked field: the new value, and its error goes until the next check. */
  const edited = (field: keyof FieldErrors, set: (value: string) => void) => (value: string) => {
    set(value);
    setFieldErrors((e) => ({ ...e, [field]: undefined }));
  };
  const [current, setCurrent] = useState<SubmissionSummary | null | undefined>(undefined);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Prepared | null>(null);
  const [conflict, setConflict] = useState<SubmissionSummary | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);

  const [caps, setCaps] = useState<HostCapabilities | null>(null);
  const unanswered = useRef<{ key: string; fingerprint: string } | null>(null);
  const panelRef = useRef<HTMLDivElement | null>(null);
  const checkRef = useRef<HTMLButtonElement | null>(null);
  const submitRef = useRef<HTMLButtonElement | null>(null);
  const confirmRef = useRef<HTMLButtonElement | null>(null);
  const receiptRef = useRef<HTMLDivElement | null>(null);
  const issuesRef = useRef<HTMLDivElement | null>(null);
  const nameRef = useRef<HTMLInputElement | null>(null);
  const phoneRef = useRef<HTMLInputElement | null>(null);
  const focusNext = useRef<(() => HTMLElement | null | undefined) | null>(null);

  const sheetsRef = useRef(sheets);
  sheetsRef.current = sheets;
  const form: FormId | undefined = sheets.find((s) => s.name === sheet)?.form;
  const today = todayInShanghai();
  const asOfDefault = defaultAsOf({ meta: sheetMeta, round, today });
  const asOf = typedAsOf ?? asOfDefault.date;
  const submitLabel = `提交${form ? nameOf(form) : ''}`;

  useEffect(() => {
    host.capabilities().then(setCaps, () => setCaps(null));
  }, [host]);
  // Browser page: written sheets are downloads the user fills in WPS and uploads again.
  const inBrowser = host.kind === 'browser';

  // Focus moves to the next useful control once the screen it belongs to has rendered.
  useEffect(() => {
    const target = focusNext.current?.();
    if (!target) return;
    target.focus();
    // A control still disabled by the running task takes focus on a later render.
    if (document.activeElement === target) focusNext.current = null;
  });
  const moveFocus = (to: () => HTMLElement | null | undefined) => (focusNext.current = to);

  const refresh = useCallback(
    async (prefer?: string) => {
      const found = await findFormSheets(host, (await load()).forms);
      setSheets(found.sheets);
      setSheet(prefer && found.sheets.some((s) => s.name === prefer) ? prefer : found.preferred);
      return found;
    },
    [host, load],
  );

  // Not through task.run: the pane opens while the connect task is still finishing.
  useEffect(() => {
    refresh().then(
      (found) =>
        moveFocus(() =>
          found.sheets.length === 0 && props.initialFocus
            ? props.initialFocus()
            : (checkRef.current ?? panelRef.current?.querySelector('button')),
        ),
      (err) => setNotice(toFailure(err).message),
    );
  }, [refresh]); // eslint-disable-line react-hooks/exhaustive-deps

  const { clearFailure } = task;
  // Browser page: a newly uploaded file replaces the workbook; nothing said about the last one still holds.
  useEffect(
    () =>
      host.onWorkbookOpened?.(() => {
        setCheck(null);
        setReceipt(null);
        setNotice(null);
        setConfirm(null);
        setConflict(null);
        setFieldErrors({});
        setTypedAsOf(null);
        clearFailure();
        refresh().then(
          (found) => found.sheets.length > 0 && moveFocus(() => checkRef.current),
          (err) => setNotice(toFailure(err).message),
        );
      }),
    [host, refresh, clearFailure],
  );

  // The sheet on screen is the sheet checked and sent (Excel: the active worksheet; browser page: the grid's tab).
  useEffect(
    () =>
      host.onActiveSheetChanged?.((name) => {
        if (!sheetsRef.current.some((s) => s.name === name)) return;
        setSheet(name);
        setCheck(null);
        setTypedAsOf(null);
      }),
    [host],
  );

  // The 数据截至 shown before the click is what the sheet says (or the round's default): read it on selection.
  useEffect(() => {
    setSheetMeta(undefined);
    if (!sheet) return;
    let live = true;
    load()
      .then(({ forms: loaded }) => readSheetMeta(host, sheet, loaded))
      .then(
        (meta) => live && setSheetMeta(meta),
        () => undefined,
      );
    return () => void (live = false);
  }, [host, sheet, load]);

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
  }, [api, me, form, round, refreshKey]);

  const validate = async (): Promise<CheckResult | undefined> => {
    if (!sheet) return undefined;
    task.setProgress('正在读取并校验表格…', 0.2);
    const { forms: loaded, offline } = await load();
    const checked = form === undefined ? undefined : loaded.get(form);
    // Offline the history cannot be asked; the server checks it again on 提交.
    const requireProgress = checked && !offline ? await progressRequired(api, me, checked, round) : false;
    const result = await checkSheet(host, sheet, loaded, { requireProgress }, sendingUnit(me));
    setCheck(result);
    setSheetMeta(result.parsed.meta);
    return result;
  };

  const firstIssue = () => issuesRef.current?.querySelector<HTMLElement>('button');

  const onCheck = () => {
    setReceipt(null);
    setNotice(null);
    setConfirm(null);
    return task.run('正在校验…', async () => {
      const result = await validate();
      moveFocus(() => (result?.errors ? firstIssue() : submitRef.current));
    });
  };

  /** Empty or unusable contact fields and 数据截至, each said on its field. */
  const fieldProblems = () => {
    const problems: { name?: string; phone?: string; asOf?: string } = {};
    if (!contactName.trim()) problems.name = '请填写联系人姓名。';
    const phone = phoneProblem(contactPhone);
    if (phone) problems.phone = phone;
    const date = asOfProblem(asOf, today);
    if (date) problems.asOf = date;
    return problems;
  };

  const onSubmit = () => {
    setReceipt(null);
    setNotice(null);
    setConfirm(null);
    setConflict(null);
    return task.run('正在校验…', async () => {
      const result = await validate();
      if (!result) return;
      const problems = fieldProblems();
      setFieldErrors(problems);
      // What the sheet just read says may differ from what was shown (edited meanwhile): show it, send nothing.
      const asOfNow = typedAsOf ?? defaultAsOf({ meta: result.parsed.meta, round, today }).date;
      if (asOfNow !== asOf) {
        moveFocus(() => submitRef.current);
        throw new Error(
          `未提交,数据未发送:表格中的「数据截至」现在是 ${chineseDay(asOfNow)},已更新在上方。请核对后再点「${submitLabel}」。`,
        );
      }
      // Sheet errors and empty fields are reported together, in one go.
      const said: string[] = [];
      if (result.errors > 0) said.push(`表格中有 ${result.errors} 处错误(已标红,见下方列表)`);
      const fields = [problems.asOf && '数据截至', problems.name && '联系人', problems.phone && '联系电话'].filter(
        Boolean,
      );
      if (fields.length) said.push(`「${fields.join('」「')}」需要填写或改正(已标出)`);
      if (said.length) {
        moveFocus(() =>
          problems.name ? nameRef.current : problems.phone ? phoneRef.current : result.errors ? firstIssue() : null,
        );
        throw new Error(`未提交,数据未发送:${said.join(';')}。请改正后再点「${submitLabel}」。`);
      }
      const contact = { name: contactName.trim(), phone: contactPhone.trim() };
      props.onSettings({ ...props.settings, contactName: contact.name, contactPhone: contact.phone });
      // What this sheet replaces, as shown to the clerk; asked now if it had not arrived yet.
      const replaces = current !== undefined ? current : await currentSubmission(api, me, result.parsed.form!, round);
      const prepared: Prepared = {
        input: { check: result, round, asOf, contact, basedOn: replaces?.id ?? null },
        replaces,
      };
      if (replaces) {
        setConfirm(prepared);
        moveFocus(() => confirmRef.current);
        return;
      }
      await send(prepared);
    });
  };

  const send = async ({ input }: Prepared) => {
    task.setProgress('正在提交…');
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
            p.phase === 'retrying' ? `网络不稳定,正在第 ${(p.attempt ?? 2) - 1} 次重试提交…` : label,
            value,
          );
        },
      });
      unanswered.current = null;
      setReceipt(got);
      setCurrent({ ...got, current: true });
      setRefreshKey((k) => k + 1);
      moveFocus(() => receiptRef.current);
    } catch (err) {
      if (err instanceof ApiError && err.status > 0 && err.status < 500 && err.status !== 429)
        unanswered.current = null;
      const parsed = input.check.parsed;
      if (err instanceof ApiError && err.status === 409) {
        // A colleague's version came first: show it and offer it, said once.
        const theirs = await currentSubmission(api, me, parsed.form!, input.round).catch(() => undefined);
        setCurrent(theirs);
        setConflict(theirs ?? null);
        if (theirs) {
          setNotice(null);
          return;
        }
      }
      const message = sendFailureMessage(err, submitLabel);
      if (err instanceof ApiError && err.status === 422 && err.issues.length) {
        const placed = placeServerIssues(err.issues, parsed, input.check.unitLineCell);
        await host.markIssues(input.check.sheet, placed);
        moveFocus(firstIssue);
        throw new ApiError(err.status, err.code, message ?? err.message, placed, err.serverMessage);
      }
      if (message && err instanceof ApiError) throw new ApiError(err.status, err.code, message, err.issues);
      throw err;
    }
  };

  const onConfirm = () => {
    const prepared = confirm;
    setConfirm(null);
    if (prepared) void task.run('正在提交…', () => send(prepared));
  };

  const onInsert = (id: FormId) =>
    task.run(`正在${inBrowser ? '下载' : '插入'}${nameOf(id)}…`, async () => {
      const f = formOf((await load()).forms, id);
      const name = await insertTemplate(host, f, me.unit.name);
      await refresh(name);
      setCheck(null);
      setNotice(
        inBrowser
          ? `已下载空白${f.tag}「${name}.xlsx」。请用 WPS 或 Excel 填写并保存,再点「上传 .xlsx 文件」上传。`
          : `已插入工作表「${name}」,请从表头下方第一行开始填写。`,
      );
    });

  const onPull = () =>
    task.run('正在拉取上次填报…', async () => {
      const loaded = (await load()).forms;
      const pulled = await pullLast(host, api, me, loaded);
      if (pulled.length === 0) {
        const ledgers = orList(loaded.forms.filter((f) => f.kind === 'ledger').map((f) => f.tag));
        setNotice(`本单位尚无已提交的${ledgers}。请先${inBrowser ? '下载' : '插入'}空白${ledgers}填写并提交。`);
        return;
      }
      await refresh(pulled[pulled.length - 1].sheet);
      setCheck(null);
      setNotice(
        pulled
          .map(({ form: f, sheet: name, rows, round: from, flagged }) => {
            const fixed = fixedColumnsText(f);
            const again = flagged
              ? `其中 ${flagged} 件案件州级回访群众不满意,已在「回访不满意」栏注明原因,请重新办理并如实更新整改进展。`
              : '';
            return (
              again +
              (inBrowser
                ? `已下载 ${from} 轮次的 ${rows} 行${f.tag}「${name}.xlsx」` +
                  (fixed
                    ? `,${fixed.replace('请只更新', '请用 WPS 或 Excel 只更新')},保存后上传。`
                    : '。请用 WPS 或 Excel 更新后保存并上传。')
                : `已将 ${from} 轮次的 ${rows} 行${f.tag}放入工作表「${name}」。${fixed ? `${fixed}。` : '请更新后提交。'}`)
            );
          })
          .join(' '),
      );
    });

  const onOpen = (s: SubmissionSummary) =>
    task.run(`正在打开${nameOf(s.form)}第 ${s.version} 版…`, async () => {
      const name = await openSubmission(host, api, me, (await load()).forms, s.id);
      setNotice(
        inBrowser
          ? `已下载${nameOf(s.form)}第 ${s.version} 版「${name}.xlsx」,并在左侧以工作表「${name}」显示。`
          : `已将${nameOf(s.form)}第 ${s.version} 版放入工作表「${name}」。`,
      );
    });

  const issues = task.failure?.issues.length ? task.failure.issues : (check?.parsed.issues ?? []);
  const busy = task.busy !== null;
  const lookedFor = (forms?.forms ?? []).map((f) => `${f.tag}的表头${expectedLabels(f)}`).join(';');
  const formTags = forms ? orList(forms.forms.map((f) => f.tag)) : '附件';

  return (
    <div className={styles.panel} ref={panelRef}>
      <WhoAmI me={me} calendar={calendar} />
      <div className={styles.section}>
        <Text weight="semibold">表格</Text>
        <div className={styles.row}>
          {forms?.forms.map((f) => (
            <Button key={f.id} size="small" disabled={busy} onClick={() => onInsert(f.id)}>
              {inBrowser ? '下载' : '插入'}空白{f.tag}
            </Button>
          ))}
          {forms?.forms.some((f) => f.kind === 'ledger') && (
            <Button size="small" disabled={busy} onClick={onPull}>
              拉取上次填报
            </Button>
          )}
        </div>
        {!forms && !campaignError && <Text size={200}>正在读取「{calendar.name}」的表格…</Text>}
        {campaignError && (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>
              无法读取「{calendar.name}」的表格:{campaignError}
            </MessageBarBody>
          </MessageBar>
        )}
        {campaign?.offline && (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>
              暂时连不上服务器:表格按本机保存的「{campaign.summary.name}」校验;提交、拉取需要联网后再操作。
            </MessageBarBody>
          </MessageBar>
        )}
        {sheets.length > 0 ? (
          <Field label="要校验和提交的工作表">
            <Select
              value={sheet ?? ''}
              onChange={(_, d) => {
                setSheet(d.value);
                setCheck(null);
                setTypedAsOf(null);
              }}
            >
              {sheets.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}({nameOf(s.form)})
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Text size={200}>
            {inBrowser
              ? `上传的文件中没有找到${formTags}(查找的是${lookedFor})。请上传按模板填写的附件,或先下载空白附件填写。`
              : `当前工作簿中没有找到${formTags}(查找的是${lookedFor})。请插入空白附件,或打开已填好的表格后点「重新查找」。`}
          </Text>
        )}
        {!inBrowser && (
          <Button
            size="small"
            appearance="subtle"
            disabled={busy}
            onClick={() => task.run('正在查找附件表…', () => refresh())}
          >
            重新查找
          </Button>
        )}
      </div>

      {caps && missingFeatures(caps, forms).length > 0 && (
        <Text size={200}>
          当前 Excel 版本较旧,{missingFeatures(caps, forms).join('、')};校验结果照常以颜色和下方列表显示。
        </Text>
      )}

      <div className={styles.section}>
        <RoundSelect label="报送轮次" rounds={rounds} current={calendar.nextDue} value={round} onChange={setRound} />
        <CheckedInput
          label="数据截至"
          hint={typedAsOf === null && !fieldErrors.asOf ? AS_OF_HINTS[asOfDefault.from] : undefined}
          error={fieldErrors.asOf}
          type="date"
          value={asOf}
          max={today}
          onEdit={edited('asOf', setTypedAsOf)}
        />
        <div className={styles.row}>
          <CheckedInput
            label="联系人"
            fieldClassName={styles.field}
            className={styles.input}
            inputRef={nameRef}
            error={fieldErrors.name}
            value={contactName}
            onEdit={edited('name', setContactName)}
          />
          <CheckedInput
            label="联系电话"
            fieldClassName={styles.field}
            className={styles.input}
            inputRef={phoneRef}
            error={fieldErrors.phone}
            value={contactPhone}
            inputMode="tel"
            placeholder="0973-8722111转8001"
            onEdit={edited('phone', setContactPhone)}
            onBlur={() => {
              const problem = contactPhone.trim() ? phoneProblem(contactPhone) : null;
              if (problem) setFieldErrors((e) => ({ ...e, phone: problem }));
            }}
          />
        </div>
        {current && form && lastReview(current)?.decision === 'returned' && (
          <MessageBar intent="error" layout="multiline" role="alert" aria-label="已退回">
            <MessageBarBody>
              州级已退回本轮{nameOf(form)}第 {current.version} 版（{lastReview(current)!.byName}，
              {chineseDateTime(lastReview(current)!.at)}）：{lastReview(current)!.comment}
              <br />
              请按意见修改后重新提交,提交新版本即撤销退回。
            </MessageBarBody>
          </MessageBar>
        )}
        {current && form && !confirm && (
          <Text size={200}>
            本轮已提交{nameOf(form)}第 {current.version} 版({chineseDateTime(current.submittedAt)},
            {current.contact.name}),再次提交将替换该版本。
          </Text>
        )}
        <div className={styles.row}>
          <Button ref={checkRef} disabled={busy || !sheet} onClick={onCheck}>
            校验
          </Button>
          <Button ref={submitRef} appearance="primary" disabled={busy || !sheet} onClick={onSubmit}>
            {submitLabel}
          </Button>
        </div>
        {confirm?.replaces && (
          <MessageBar intent="warning" layout="multiline" role="alertdialog" aria-label="确认替换">
            <MessageBarBody>
              本轮{nameOf(confirm.replaces.form)}已有第 {confirm.replaces.version} 版,由 {confirm.replaces.contact.name}{' '}
              于 {chineseDateTime(confirm.replaces.submittedAt)} 提交(
              {confirm.replaces.rowCount} 行)。提交后将成为第 {confirm.replaces.version + 1}{' '}
              版并替换它,原版本保留在提交记录中。
              <div className={styles.row}>
                <Button ref={confirmRef} appearance="primary" size="small" onClick={onConfirm}>
                  确认替换第 {confirm.replaces.version} 版
                </Button>
                <Button
                  size="small"
                  onClick={() => {
                    setConfirm(null);
                    moveFocus(() => submitRef.current);
                  }}
                >
                  取消
                </Button>
              </div>
            </MessageBarBody>
          </MessageBar>
        )}
      </div>

      {task.busy && <ProgressBar value={task.progress} aria-label={task.busy} />}
      {task.busy && (
        <Text size={200} role="status">
          {task.busy}
        </Text>
      )}
      {notice && (
        <MessageBar intent="info">
          <MessageBarBody>{notice}</MessageBarBody>
        </MessageBar>
      )}
      {conflict && (
        <MessageBar intent="warning" layout="multiline" aria-label="版本冲突">
          <MessageBarBody>
            未提交:在您修改期间,{conflict.contact.name} 已于 {chineseDateTime(conflict.submittedAt)} 提交了本轮
            {nameOf(conflict.form)}第 {conflict.version} 版({conflict.rowCount} 行)。请先打开该版本核对,
            再决定是否在它的基础上修改后提交。
            <div className={styles.row}>
              <Button size="small" disabled={busy} onClick={() => void onOpen(conflict)}>
                打开第 {conflict.version} 版
              </Button>
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
      {task.failure && (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{task.failure.message}</MessageBarBody>
        </MessageBar>
      )}
      {receipt && forms?.get(receipt.form) && (
        <ReceiptView ref={receiptRef} receipt={receipt} me={me} form={forms.get(receipt.form)!} />
      )}
      {check && !task.failure && !receipt && (
        <MessageBar intent={check.errors ? 'error' : check.warnings ? 'warning' : 'success'}>
          <MessageBarBody>
            {check.parsed.form ? `${nameOf(check.parsed.form)}共 ${check.parsed.rows.length} 行:` : ''}
            {check.errors ? `${check.errors} 处错误(已标红)` : '没有错误'}
            {check.warnings ? `,${check.warnings} 条提醒(已标黄)` : ''}
            {check.errors ? '。点击下方问题可定位到单元格。' : `。可以点「${submitLabel}」。`}
          </MessageBarBody>
        </MessageBar>
      )}
      {issues.length > 0 && sheet && (
        <div ref={issuesRef}>
          <IssueList
            issues={issues}
            onSelect={(cell) =>
              void host
                .selectCell(sheet, cell)
                .catch(() => setNotice(`无法定位到 ${cell}:工作表「${sheet}」可能已被重命名或删除,请点「重新查找」。`))
            }
          />
        </div>
      )}
      <StandingPanel
        api={api}
        me={me}
        calendar={calendar}
        forms={forms}
        refreshKey={refreshKey}
        busy={busy}
        onOpen={(s) => void onOpen(s)}
      />
      <ContactPanel api={api} me={me} busy={busy} />
    </div>
  );
}
