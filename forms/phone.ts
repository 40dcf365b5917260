// A contact phone the office can dial: a mobile (13800000000, +86 138 0000 0000), a landline with area code
// (0973-8722111, (0973)8722111) and perhaps an extension (转8001, ext. 8001, -8001). Pure: the pane checks it before
// sending and the server checks it again; the message names the field as the clerk sees it, never an internal key.

export const PHONE_HINT = '例如 0973-8722111、0973-8722111转8001 或 13800000000';

/** Null when the phone is fine; otherwise the Chinese message saying what to type. */
export function phoneProblem(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  if (t === '') return `请填写联系电话(${PHONE_HINT})。`;
  if (t.length > 40) return `联系电话太长,请只填一个号码(${PHONE_HINT})。`;
  // The extension: 转8001, 分机8001, ext 8001, x8001, #8001.
  const m = /^(.*?)(?:\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6}))?$/i.exec(t)!;
  const main = m[1].replace(/[\s\-()]/g, '');
  const digits = main.replace(/^(?:\+?86)(?=1\d{10}$|0?\d{9,11}$)/, '');
  if (/^1[3-9]\d{9}$/.test(digits)) return null;
  if (/^0\d{2,3}\d{7,8}$/.test(digits)) return null;
  // A local number without area code (8722111) is dialable inside the prefecture.
  if (/^[2-9]\d{6,7}$/.test(digits)) return null;
  return `联系电话「${text.trim()}」不像一个可拨打的号码:请填写手机号或带区号的座机号(${PHONE_HINT})。`;
}
