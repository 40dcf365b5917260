// Does a name typed on a sheet (填报单位 line, 附件2's 市/州 column) mean this unit? Clerks write their unit the
// way their letterhead does: 同仁县人民政府, 同仁县环保局, 黄南州同仁县, 河南县 for 河南蒙古族自治县, with full-width
// parentheses and spaces (also U+3000) anywhere. Pure: both the pane's 校验 and the server's submit path use it.

/** A unit as the sheet check needs it: its name and the other names it goes by (the unit list carries them). */
export interface UnitNames {
  name: string;
  aliases?: readonly string[];
}

/** Offices and seals that follow a place name; the longest first, so 生态环境局 wins over 环境局. */
const OFFICE_SUFFIXES = [
  '专项整治工作领导小组办公室',
  '环境保护督察问题整改工作领导小组办公室',
  '领导小组办公室',
  '生态环境保护委员会',
  '人民政府办公室',
  '人民政府',
  '政府办公室',
  '政府办',
  '政府',
  '生态环境局',
  '生态环境分局',
  '环境保护局',
  '环保局',
  '环境局',
  '委员会',
  '办公室',
]
  .map((s) => s.normalize('NFKC'))
  .sort((a, b) => b.length - a.length);

/** What precedes a county inside a longer name: 青海省, 黄南州, 黄南藏族自治州, 西宁市. */
const REGION_PREFIX = /(?:省|自治区|州|市|地区|盟)$/;

/** A name that ends with its level (同仁县, 黄南州): only such a name may be followed by an unknown office. */
const LEVELLED = /[省县州市区旗盟]$/;

/**
 * The name reduced to what tells units apart: NFKC (full-width letters, digits, parentheses), no whitespace of
 * any kind, no bracketed remark such as (公章)(盖章), no leading 填报单位: label, no office suffixes.
 */
export function unitNameKey(text: string): string {
  let t = text
    .normalize('NFKC')
    .replace(/[\s\u3000\u00a0\u200b\ufeff]+/g, '')
    .replace(/[(【〔[][^)\]】〕]*[)\]】〕]/g, '')
    .replace(/^填报单位[::]?/, '')
    .replace(/[::,,。.;;、]+$/, '');
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of OFFICE_SUFFIXES) {
      if (t.length > suffix.length && t.endsWith(suffix)) {
        t = t.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return t;
}

/**
 * Every form of one name a clerk may write: itself, without the ethnic autonomy part (河南蒙古族自治县 → 河南县,
 * 黄南藏族自治州 → 黄南州) and without the level (同仁县 → 同仁) when at least two characters remain.
 */
function variants(name: string): string[] {
  const key = unitNameKey(name);
  const found = new Set<string>([key]);
  const autonomous = /^(.+)自治([县州旗区])$/.exec(key);
  if (autonomous) {
    // Where the place name ends is not known (河南|蒙古族): every split before a 族 is offered; the wrong ones
    // (河南蒙县) are names no clerk writes, so they cannot make another unit's name match.
    const [, body, level] = autonomous;
    for (let i = 2; i < body.length; i++) if (body.endsWith('族')) found.add(body.slice(0, i) + level);
  }
  for (const v of [...found]) {
    const bare = /^(.{2,})[县州市区旗]$/.exec(v);
    if (bare) found.add(bare[1]);
  }
  return [...found];
}

/** True when `text` names the unit (by its name or an alias), whatever office suffix or region prefix it carries. */
export function namesUnit(text: string, unit: UnitNames): boolean {
  const typed = unitNameKey(text);
  if (typed === '') return false;
  const known = [unit.name, ...(unit.aliases ?? [])].flatMap(variants);
  // 黄南州同仁县: the county inside its prefecture's name. Not 大同仁县, not 黄南州同仁 for 同仁县's 仁县.
  const placed = (before: string) => before === '' || REGION_PREFIX.test(before);
  return known.some((v) => {
    if (v === '') return false;
    if (typed.endsWith(v) && placed(typed.slice(0, typed.length - v.length))) return true;
    // An office no suffix list knows (同仁县专项整治办, 同仁县城市管理局): the full name with its level first, and
    // after it no other place (同仁县尖扎县 is not 同仁县; 黄南州同仁县环保所 is not 黄南州).
    if (!LEVELLED.test(v)) return false;
    for (let at = typed.indexOf(v); at >= 0; at = typed.indexOf(v, at + 1)) {
      const rest = typed.slice(at + v.length);
      if (placed(typed.slice(0, at)) && rest !== '' && !/[县旗]/.test(rest) && !LEVELLED.test(rest)) return true;
    }
    return false;
  });
}

/** The unit among `units` that `text` names, or undefined when none does (or the name is blank). */
export function unitNamed<U extends UnitNames>(text: string, units: readonly U[]): U | undefined {
  return units.find((u) => namesUnit(text, u));
}
