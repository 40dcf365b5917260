// Dates as the campaign counts them: calendar days in Asia/Shanghai (UTC+8, no daylight saving).
const dateFmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** `YYYY-MM-DD` of `at` in Asia/Shanghai. */
export const shanghaiDate = (at: Date): string => dateFmt.format(at);

/** `YYYY-MM-DD HH:mm` in Asia/Shanghai, for messages. */
export const shanghaiDateTime = (iso: string): string => {
  const at = new Date(iso);
  return `${shanghaiDate(at)} ${timeFmt.format(at)}`;
};

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** `YYYY-MM-DD` of `at` in any IANA zone (a campaign's own). */
export function zoneDate(at: Date, timeZone: string): string {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    zoneFormats.set(timeZone, format);
  }
  return format.format(at);
}
