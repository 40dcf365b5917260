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

/** `2019-11-14` → `2019年11月14日`. */
export function chineseDay(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}
