// The reporting calendar: a campaign reports on fixed days of every month (4th, 14th, 24th) inside its
// window; a round is named by its due date and closes at the end of that day in the campaign's time zone.

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

/** 黄环督办〔2019〕4号 (issued 2019-10-22): report on the 4th, 14th and 24th until the campaign closes at year end. */
export const HUANGNAN_2019: Campaign = {
  id: 'huangnan-2019',
  name: '黄南州生态环境领域专项整治漠视侵害群众利益问题',
  start: '2019-10-22',
  end: '2019-12-31',
  dueDays: [4, 14, 24],
  timeZone: 'Asia/Shanghai',
};

/** Asia/Shanghai has kept UTC+8 without daylight saving since 1991. */
const SHANGHAI_OFFSET_MS = 8 * 3600_000;
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

/** Every due date of the campaign, in order. */
export function campaignRounds(c: Campaign): string[] {
  const rounds: string[] = [];
  const last = dayNumber(c.end);
  for (let day = dayNumber(c.start); day <= last; day++) {
    const iso = isoOfDay(day);
    if (c.dueDays.includes(Number(iso.slice(8, 10)))) rounds.push(iso);
  }
  return rounds;
}

/** The instant a round closes: the end of its due day in Shanghai (00:00 of the next day, UTC+8). */
export function dueDeadline(round: string): Date {
  return new Date((dayNumber(round) + 1) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Submitted at `at`, is a report for `round` late (逾期)? */
export function isLate(round: string, at: Date): boolean {
  return at.getTime() >= dueDeadline(round).getTime();
}

/** The round a report made at `at` counts for: the first whose due day has not ended; null after the last. */
export function nextDueRound(c: Campaign, at: Date): string | null {
  return campaignRounds(c).find((round) => !isLate(round, at)) ?? null;
}

export function isRound(c: Campaign, round: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(round) && campaignRounds(c).includes(round);
}
