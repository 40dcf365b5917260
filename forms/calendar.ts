// The reporting calendar: a campaign reports on fixed days of every month (4th, 14th, 24th) and/or on listed
// dates inside its window; a round is named by its due date and closes at the end of that day in the
// campaign's time zone.
import type { CampaignDocument } from './campaign/schema';
import { HUANGNAN_2019_DOCUMENT } from './campaign/seed';

/** The calendar part of a campaign document: all the rounds need. */
export type CalendarSpec = Pick<CampaignDocument, 'timeZone' | 'window' | 'due'>;

/** The calendar as the store and the API knew it before campaign documents (one rule, Shanghai only). */
export interface Campaign {
  id: string;
  name: string;
  /** First day of the window, `YYYY-MM-DD`. */
  start: string;
  /** Last day of the window, `YYYY-MM-DD`. */
  end: string;
  /** Days of the month on which 附件1、2 are due. */
  dueDays: number[];
  timeZone: 'Asia/Shanghai';
}

/** The 2019 黄南州 campaign's calendar in the store's shape, read from its document. */
export const HUANGNAN_2019: Campaign = {
  id: HUANGNAN_2019_DOCUMENT.id,
  name: HUANGNAN_2019_DOCUMENT.name,
  start: HUANGNAN_2019_DOCUMENT.window.start,
  end: HUANGNAN_2019_DOCUMENT.window.end,
  dueDays: [...(HUANGNAN_2019_DOCUMENT.due.daysOfMonth ?? [])],
  timeZone: 'Asia/Shanghai',
};

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86400_000;

function dayNumber(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== iso) throw new RangeError(`not a calendar date: ${iso}`);
  return t / DAY_MS;
}

function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function calendarOf(c: Campaign | CalendarSpec): { start: string; end: string; days: number[]; dates: string[] } {
  if ('window' in c)
    return { start: c.window.start, end: c.window.end, days: c.due.daysOfMonth ?? [], dates: c.due.dates ?? [] };
  return { start: c.start, end: c.end, days: c.dueDays, dates: [] };
}

/** Every due date of the campaign, in order: the days of the month inside the window, and the listed dates. */
export function campaignRounds(c: Campaign | CalendarSpec): string[] {
  const { start, end, days, dates } = calendarOf(c);
  const rounds = new Set<string>();
  const last = dayNumber(end);
  for (let day = dayNumber(start); day <= last; day++) {
    const iso = isoOfDay(day);
    if (days.includes(Number(iso.slice(8, 10)))) rounds.add(iso);
  }
  for (const date of dates) if (date >= start && date <= end) rounds.add(date);
  return [...rounds].sort();
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone's wall clock is ahead of UTC at instant `t`. */
function zoneOffset(timeZone: string, t: number): number {
  if (timeZone === DEFAULT_TIME_ZONE) return 8 * 3600_000; // UTC+8 without daylight saving since 1991
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(t / 1000) * 1000;
}

/** The instant a round closes: the end of its due day in the campaign's time zone (00:00 of the next day). */
export function dueDeadline(round: string, timeZone: string = DEFAULT_TIME_ZONE): Date {
  const midnight = (dayNumber(round) + 1) * DAY_MS;
  // The offset at the guess, then again at the result, settles a day on which the zone changes its clocks.
  const guess = midnight - zoneOffset(timeZone, midnight);
  return new Date(midnight - zoneOffset(timeZone, guess));
}

/** Submitted at `at`, is a report for `round` late (逾期)? */
export function isLate(round: string, at: Date, timeZone: string = DEFAULT_TIME_ZONE): boolean {
  return at.getTime() >= dueDeadline(round, timeZone).getTime();
}

/** The round a report made at `at` counts for: the first whose due day has not ended; null after the last. */
export function nextDueRound(c: Campaign | CalendarSpec, at: Date): string | null {
  return campaignRounds(c).find((round) => !isLate(round, at, c.timeZone)) ?? null;
}

export function isRound(c: Campaign | CalendarSpec, round: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(round) && campaignRounds(c).includes(round);
}
