// Where the clerk stands, always on the 填报 tab: who is connected (shared PCs), the next due round and the days
// left, this campaign's rounds with 已报/未报/逾期 per form, and the unit's own submissions to open or download.
import {
  Button,
  makeStyles,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { FormCatalog } from '../../forms/spec';
import { formName } from '../campaign';
import type { MeResponse, SubmissionSummary } from '../../contract/api';
import { chineseDateTime, chineseDay, daysUntil, todayInShanghai } from './dates';
import { dueSoonMissing, roundStandings, STANDING_LABELS, type RoundStanding } from './flows';
import type { CampaignCalendar } from './useCampaign';

const useStyles = makeStyles({
  who: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: '4px 12px',
    alignItems: 'baseline',
    padding: '6px 8px',
    background: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
  },
  ontime: { color: tokens.colorPaletteGreenForeground1 },
  late: { color: tokens.colorPaletteDarkOrangeForeground1 },
  returned: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  overdue: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  open: { color: tokens.colorPaletteBlueForeground2 },
  future: { color: tokens.colorNeutralForeground3 },
  history: { margin: 0, padding: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', gap: '4px' },
  entry: { display: 'flex', flexWrap: 'wrap', gap: '4px 8px', alignItems: 'center' },
});

export const ROLE_NAMES = { county: '县级', prefecture: '州级', admin: '管理员' } as const;

/** `下一轮报送截止:2019年11月14日(还有 2 天)`. */
export function nextDueText(nextDue: string | null, today: string): string {
  if (!nextDue) return '本次专项整治的报送轮次已全部结束';
  const days = daysUntil(nextDue, today);
  const left = days > 0 ? `还有 ${days} 天` : days === 0 ? '今天截止' : `已过截止日 ${-days} 天`;
  return `下一轮报送截止:${chineseDay(nextDue)}(${left})`;
}

/** `calendar`: the campaign the pane works in (its next due round). */
export function WhoAmI({ me, calendar }: { me: MeResponse; calendar: CampaignCalendar }) {
  const styles = useStyles();
  return (
    <div className={styles.who} role="status" aria-label="当前登录">
      <Text weight="semibold">
        {me.unit.name}({ROLE_NAMES[me.role]})
      </Text>
      {me.campaigns.length > 1 && <Text size={200}>{calendar.name}</Text>}
      <Text size={200}>{nextDueText(calendar.nextDue, todayInShanghai())}</Text>
    </div>
  );
}

export function StandingPanel(props: {
  api: ApiClient;
  me: MeResponse;
  /** The campaign the pane works in: its rounds, and its forms once loaded. */
  calendar: CampaignCalendar;
  forms: FormCatalog | null;
  /** Changes after each submission, so the table and the history load again. */
  refreshKey: number;
  busy: boolean;
  onOpen: (s: SubmissionSummary) => void;
}) {
  const { api, me } = props;
  const styles = useStyles();
  const [history, setHistory] = useState<SubmissionSummary[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    api.history({ unit: me.unit.id }).then(
      (h) => live && (setHistory(h), setFailed(false)),
      () => live && setFailed(true),
    );
    return () => void (live = false);
  }, [api, me.unit.id, props.refreshKey]);

  const today = todayInShanghai();
  const { calendar, forms } = props;
  const formIds = forms?.ids ?? [];
  const rounds = roundStandings(formIds, calendar.rounds, history ?? [], today, calendar.nextDue);
  const nameOf = (id: string) => (forms ? formName(forms, id) : id);
  const daysLeft = calendar.nextDue ? daysUntil(calendar.nextDue, today) : -1;
  const missing = history ? dueSoonMissing(formIds, history, calendar.nextDue, daysLeft) : [];
  const cell = (s: RoundStanding) => <span className={styles[s]}>{STANDING_LABELS[s]}</span>;
  return (
    <section aria-label="本单位报送情况">
      {missing.length > 0 && (
        <MessageBar intent="warning" role="status" aria-label="即将截止">
          <MessageBarBody>
            本轮({chineseDay(calendar.nextDue!)}){daysLeft === 0 ? '今天截止' : `还有 ${daysLeft} 天截止`},尚未报送:
            {missing.map(nameOf).join('、')}。
          </MessageBarBody>
        </MessageBar>
      )}
      <Text weight="semibold">本单位各轮次报送情况</Text>
      {failed && <Text size={200}>暂时无法读取本单位的报送记录,请稍后切换标签页重试。</Text>}
      <Table size="extra-small" aria-label="各轮次报送情况">
        <TableHeader>
          <TableRow>
            <TableHeaderCell>轮次(截止日)</TableHeaderCell>
            {formIds.map((f) => (
              <TableHeaderCell key={f}>{nameOf(f)}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rounds.map((r) => (
            <TableRow key={r.round}>
              <TableCell>
                {chineseDay(r.round)}
                {r.round === calendar.nextDue ? '(本轮)' : ''}
              </TableCell>
              {formIds.map((f) => (
                <TableCell key={f}>{cell(r.forms[f])}</TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Text weight="semibold">本单位提交记录</Text>
      {history && history.length === 0 && <Text size={200}>本单位尚未提交过附件。</Text>}
      {history && history.length > 0 && (
        <ul className={styles.history} aria-label="提交记录">
          {history.map((s) => (
            <li key={s.id} className={styles.entry}>
              <Text size={200}>
                {nameOf(s.form)} {chineseDay(s.round)}轮次 第 {s.version} 版{s.current ? '(当前)' : ''} ·{' '}
                {s.contact.name} · {chineseDateTime(s.submittedAt)} · {s.rowCount} 行{s.late ? ' · 逾期' : ''}
              </Text>
              <Button
                size="small"
                disabled={props.busy}
                aria-label={`打开${nameOf(s.form)} ${chineseDay(s.round)}轮次第${s.version}版`}
                onClick={() => props.onOpen(s)}
              >
                打开
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
