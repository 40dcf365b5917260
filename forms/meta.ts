// The free-text lines around the table: 填报单位(公章):…, 填报日期: 年 月 日, 注:数据截至…, 填报人/联系电话.
import { pad2, serialToIsoDate } from './cells';
import type { SheetMeta } from './types';

/** `2019年11月14日`, `2019-11-14`, `2019/11/14`, `2019.11.14`, an Excel serial → `2019-11-14`; a blank `年 月 日` → undefined. */
export function readDate(text: string): string | undefined {
  const t = text.normalize('NFKC').trim();
  const m =
    /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?/.exec(t) ??
    /(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})/.exec(t);
  if (!m) {
    const serial = /^(\d{5})(\.\d+)?\b/.exec(t);
    if (serial && Number(serial[1]) > 30000 && Number(serial[1]) < 80000) return serialToIsoDate(Number(serial[1]));
    return undefined;
  }
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  return `${y}-${pad2(mo)}-${pad2(d)}`;
}

/** A label as templates print it, also letter-spaced for alignment (`填 报 单 位`). */
const spaced = (label: string) => [...label].join('\\s*');
const STOP = `(?=${['填报日期', '填报时间', '填报人', '填表人', '联系人', '联系电话', '审核人', '负责人'].map(spaced).join('|')}|$)`;
const SEAL = '(?:公章|盖章|签章|印章)';
const UNIT = new RegExp(`${spaced('填报单位')}\\s*(?:\\(\\s*${SEAL}\\s*\\))?\\s*:?\\s*(.*?)\\s*${STOP}`);
const FILL_DATE = new RegExp(`${spaced('填报')}\\s*(?:${spaced('日期')}|${spaced('时间')})\\s*:?\\s*(.*)$`);
const AS_OF = /数据\s*截[至止]\s*(?:到|日期|时间)?\s*:?\s*(.*)$/;
const CONTACT = /(?:填报人|填表人|联系人)\s*:?\s*([^\s:,;]+)/;
const PHONE = /(?:联系电话|电话|手机)\s*:?\s*(\+?[\d][\d\s-]{5,}\d)/;

/** Reads whatever meta a line holds (its cells' texts in order) into `meta`; earlier findings win. */
export function readMetaLine(texts: string[], meta: SheetMeta): void {
  const line = texts
    .join(' ')
    .normalize('NFKC')
    .replace(/[\u3000\s]+/g, ' ')
    .trim();
  if (line === '') return;
  const unit = UNIT.exec(line);
  if (unit && meta.unitName === undefined) {
    const name = unit[1].replace(new RegExp(`\\(${SEAL}\\)$`), '').trim();
    if (name !== '') meta.unitName = name;
  }
  const fill = FILL_DATE.exec(line);
  const fillDate = fill ? readDate(fill[1]) : undefined;
  if (fillDate && meta.fillDate === undefined) meta.fillDate = fillDate;
  const asOfMatch = AS_OF.exec(line);
  const asOf = asOfMatch ? readDate(asOfMatch[1]) : undefined;
  if (asOf && meta.asOf === undefined) meta.asOf = asOf;
  const contact = CONTACT.exec(line);
  if (contact && meta.contactName === undefined) meta.contactName = contact[1];
  const phone = PHONE.exec(line);
  if (phone && meta.contactPhone === undefined) meta.contactPhone = phone[1].replace(/\s+/g, '');
}

// One expression, as the parser tries it on every row's first cell: 备注…, 注：/说明1…, 填报人… (leading blanks allowed).
const NOTE_LINE =
  /^\s*(?:备注|(?:注|说明|填表说明|填报说明)\s*[:：\d]|填报人|填表人|联系人|联系电话|审核人|负责人|单位负责人|制表人)/;

/** Lines under a table that are notes or sign-off, not data. */
export function isNoteLine(text: string): boolean {
  return NOTE_LINE.test(text);
}
