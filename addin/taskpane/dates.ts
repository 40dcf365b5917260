// Dates as the clerks read them: Shanghai time, Chinese notation.
const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** Today's date in Shanghai, `YYYY-MM-DD`. */
export function todayInShanghai(now = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `2019-11-14T02:30:00Z` → `2019-11-14 10:30` (Shanghai). */
export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `2019-11-14T02:30:00Z` → `2019年11月14日 10:30` (Shanghai). */
export function chineseDateTime(iso: string): string {
  const [day, time] = formatDateTime(iso).split(' ');
  return time ? `${chineseDay(day)} ${time}` : iso;
}

/** Whole days from `today` to `day` (both `YYYY-MM-DD`): 0 on the day itself, negative once past. */
export function daysUntil(day: string, today: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** `2019-11-14` → `2019年11月14日`. */
export function chineseDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

export type AsOfSource = 'asOf' | 'fillDate' | 'round' | 'today';

/** Where the default 数据截至 came from, as the field's hint says it. */
export const AS_OF_HINTS: Record<AsOfSource, string> = {
  asOf: '取自表格中的「数据截至」',
  fillDate: '取自表格中的「填报日期」',
  round: '默认为本轮截止日',
  today: '默认为今天',
};

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The 数据截至 a submission most likely means: what the sheet itself says (数据截至, else 填报日期), else the round's
 * due date once it has passed (a late or corrected submission reports the state at the due date), else today.
 * Never after today: the server refuses an as-of date after the submission day, so such a sheet date is passed over.
 */
export function defaultAsOf(opts: { meta?: { asOf?: string; fillDate?: string }; round?: string; today: string }): {
  date: string;
  from: AsOfSource;
} {
  const usable = (d: string | undefined): d is string => !!d && ISO_DAY.test(d) && d <= opts.today;
  if (usable(opts.meta?.asOf)) return { date: opts.meta.asOf, from: 'asOf' };
  if (usable(opts.meta?.fillDate)) return { date: opts.meta.fillDate, from: 'fillDate' };
  if (opts.round && ISO_DAY.test(opts.round) && opts.round < opts.today) return { date: opts.round, from: 'round' };
  return { date: opts.today, from: 'today' };
}
