import { describe, expect, it } from 'vitest';
import {
  campaignRounds,
  dueDeadline,
  HUANGNAN_2019_FORMS,
  HUANGNAN_2019,
  HUANGNAN_2019_DOCUMENT,
  nextDueRound,
  parseCampaignDocument,
  type CampaignDocument,
  type DocumentIssue,
} from '../index';
import huangnan2019 from '../campaigns/huangnan-2019.json';

const clone = (): Record<string, any> => JSON.parse(JSON.stringify(huangnan2019));

function refused(doc: unknown): DocumentIssue[] {
  const result = parseCampaignDocument(doc);
  if (result.ok) throw new Error('the document was accepted');
  return result.issues;
}

describe('the 2019 黄南州 campaign document', () => {
  it('parses', () => {
    const result = parseCampaignDocument(huangnan2019);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(HUANGNAN_2019_DOCUMENT.forms.map((f) => f.id)).toEqual(['fujian1', 'fujian2']);
    expect(HUANGNAN_2019_DOCUMENT.units.map((u) => u.name)).toEqual([
      '黄南州',
      '同仁县',
      '尖扎县',
      '泽库县',
      '河南蒙古族自治县',
    ]);
    expect(HUANGNAN_2019_DOCUMENT.sampling?.callback).toEqual({ form: 'fujian1', rate: 0.2 });
  });

  it('has the rounds and deadlines of 黄环督办〔2019〕4号', () => {
    expect(campaignRounds(HUANGNAN_2019_DOCUMENT)).toEqual(campaignRounds(HUANGNAN_2019));
    expect(nextDueRound(HUANGNAN_2019_DOCUMENT, new Date('2019-11-15T00:30:00+08:00'))).toBe('2019-11-24');
    expect(dueDeadline('2019-11-14', HUANGNAN_2019_DOCUMENT.timeZone).toISOString()).toBe('2019-11-14T16:00:00.000Z');
  });

  // The government templates as the TypeScript definitions before campaign documents laid them out.
  it('compiles to the 附件1 template: one header row, 序号 a serial, 是否办结 a choice with the closed value', () => {
    const f1 = HUANGNAN_2019_FORMS.get('fujian1')!;
    expect(f1.headerRows).toEqual([
      [
        '序号',
        '市/州',
        '详细地址',
        '群众举报问题具体内容',
        '目前整改工作现状',
        '具体整改措施及整改目标',
        '主题教育期间整改进展',
        '是否办结',
      ],
    ]);
    expect(f1.headerMerges).toEqual([]);
    expect(f1.columns.map((c) => c.width)).toEqual([6, 8, 24, 40, 30, 36, 30, 10]);
    expect(f1.columns.map((c) => c.required)).toEqual([
      'always',
      'always',
      'always',
      'always',
      'always',
      'always',
      'fromSecondSubmission',
      'always',
    ]);
    expect(f1.serial?.key).toBe('seq');
    expect(f1.status).toMatchObject({
      column: { key: 'closure', choices: ['已办结', '阶段办结', '正在办理'] },
      closed: '已办结',
    });
    expect(f1.kind).toBe('ledger');
  });

  it('compiles to the 附件2 template: two header rows with their merges, and the two row rules', () => {
    const f2 = HUANGNAN_2019_FORMS.get('fujian2')!;
    expect(f2.headerRows).toEqual([
      [
        '市/州',
        '交办数量(件)',
        null,
        null,
        '已办结(件)',
        '阶段办结(件)',
        '责令整改(家)',
        '立案处罚(家)',
        '罚款金额(万元)',
        '立案侦查(件)',
        '拘留(人)',
        null,
        '约谈(人)',
        '问责(人)',
      ],
      [null, '属实', '不属实', '合计', null, null, null, null, null, null, '行政', '刑事', null, null],
    ]);
    expect(f2.headerMerges).toEqual([
      'A1:A2',
      'B1:D1',
      'E1:E2',
      'F1:F2',
      'G1:G2',
      'H1:H2',
      'I1:I2',
      'J1:J2',
      'K1:L1',
      'M1:M2',
      'N1:N2',
    ]);
    expect(f2.columns.map((c) => c.width)).toEqual([16, 8, 8, 8, 10, 10, 10, 10, 12, 10, 8, 8, 8, 8]);
    expect(f2.columns[1].title).toBe('交办数量(件)/属实');
    expect(f2.columns.filter((c) => c.blankAsZero).length).toBe(13);
    expect(f2.columns[8]).toMatchObject({ key: 'fineWan', type: 'decimal', decimals: 4 });
    expect(f2.rules.map((r) => [r.code, r.span.map((c) => c.key)])).toEqual([
      ['fujian2.sum_mismatch', ['verified', 'unfounded', 'assigned']],
      ['fujian2.closed_exceeds', ['assigned', 'closed', 'phaseClosed']],
    ]);
    expect(f2.unitColumn?.key).toBe('unit');
    expect(f2.kind).toBe('summary');
  });

  it('marks 附件1 columns 2–6 as locked after the first submission, and names the unit by 附件2 column 1', () => {
    const [f1, f2] = HUANGNAN_2019_DOCUMENT.forms;
    expect(f1.columns.filter((c) => c.lockedAfterFirst).map((c) => c.key)).toEqual([
      'prefecture',
      'address',
      'complaint',
      'currentState',
      'measures',
    ]);
    expect(f1.unitColumn).toBeUndefined();
    expect(f2.unitColumn).toBe('unit');
  });
});

describe('a campaign document with mistakes', () => {
  it('is refused with every mistake named by its JSON path, in Chinese', () => {
    const doc = clone();
    doc.id = 'Huangnan 2019';
    doc.timeZone = 'Asia/Xining';
    doc.window.end = '2019-13-01';
    delete doc.issuer;
    doc.units[2].role = 'city';
    doc.units[3].id = 'tongren';
    doc.forms[1].columns[3].type = 'number';
    doc.forms[1].columns[4].key = 'verified';
    doc.forms[0].colour = 'red';
    doc.sampling.callback.rate = 1.5;
    const issues = refused(doc);
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'id',
        'timeZone',
        'window.end',
        'issuer',
        'units[2].role',
        'units[3].id',
        'forms[1].columns[3].type',
        'forms[1].columns[4].key',
        'forms[0].colour',
        'sampling.callback.rate',
        // the column keyed `closed` was renamed away, and a rule adds it up
        'forms[1].rules[1].terms[0]',
      ]),
    );
    expect(issues).toHaveLength(11);
    for (const issue of issues) expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
    const at = (path: string) => issues.find((i) => i.path === path)!.message;
    expect(at('forms[1].columns[3].type')).toBe('应为 text、integer、serial、decimal、choice 之一');
    expect(at('issuer')).toBe('缺少此项:应为文字(加双引号的字符串)');
    expect(at('forms[0].colour')).toContain('不是可用的字段名');
    expect(at('units[3].id')).toBe('单位 id「tongren」与前面的单位重复,请改为不同的 id');
    expect(at('forms[1].columns[4].key')).toBe('列 key「verified」与 columns[1] 重复,请改为不同的 key');
  });

  it('names rules over unknown or non-numeric columns, and a rule message with a stray placeholder', () => {
    const doc = clone();
    doc.forms[1].rules[0].terms = ['verified', 'unknown'];
    doc.forms[1].rules[1].total = 'unit';
    doc.forms[1].rules[1].message = '{closed} 与 {fineWan}';
    expect(refused(doc)).toEqual([
      { path: 'forms[1].rules[0].terms[1]', message: '没有 key 为「unknown」的列:请写本表 columns 中某一列的 key' },
      { path: 'forms[1].rules[1].total', message: '「unit」不是数字列(integer 或 decimal),不能参与加总' },
      {
        path: 'forms[1].rules[1].message',
        message: '占位符 {fineWan} 不是本规则的列:只能用 {sum} 和参与本规则的列的 key',
      },
    ]);
  });

  it('names due dates and milestones outside the window, and an unknown unit column or status value', () => {
    const doc = clone();
    doc.due.dates = ['2019-11-30', '2020-01-04', '2019-11-30'];
    doc.milestones[0].due = '2019-10-01';
    doc.forms[1].unitColumn = 'county';
    doc.forms[0].status.closed = '办结';
    expect(refused(doc)).toEqual([
      { path: 'due.dates[1]', message: '报送日 2020-01-04 不在专项行动期间(2019-10-22 至 2019-12-31)内' },
      { path: 'due.dates[2]', message: '报送日 2019-11-30 重复出现,请删去重复的一个' },
      { path: 'milestones[0].due', message: '日期 2019-10-01 不在专项行动期间(2019-10-22 至 2019-12-31)内' },
      { path: 'forms[0].status.closed', message: '「办结」不在「closure」列的选项(已办结、阶段办结、正在办理)中' },
      {
        path: 'forms[1].unitColumn',
        message: '没有 key 为「county」的列:请写填报单位所在列的 key,或删去此项(由「填报单位」一行说明)',
      },
    ]);
  });

  it('names a unit name that leads to two units, split groups, and type options on the wrong type', () => {
    const doc = clone();
    doc.units[1].aliases.push('尖扎县');
    doc.forms[1].columns[1].decimals = 2;
    doc.forms[1].columns[2].group = '其他';
    doc.forms[0].columns[7].choices = undefined;
    const issues = refused(JSON.parse(JSON.stringify(doc)));
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'units[2].name: 名称「尖扎县」已用于 units[1],同一名称只能指向一个单位',
      'forms[0].columns[7].choices: 选项列(choice)要列出可选的值,如 "choices": ["已办结", "正在办理"]',
      'forms[0].status.closed: 「已办结」不在「closure」列的选项()中',
      'forms[1].columns[1].decimals: 只有小数列(decimal)才能写 decimals,请删去',
      'forms[1].columns[3].group: 分组「交办数量(件)」的列应相邻(合并表头),请把它们挪到一起',
    ]);
  });

  it('refuses what is not a document at all', () => {
    expect(refused(null)).toEqual([{ path: '', message: '应为对象({…})' }]);
    expect(refused({})).toContainEqual({ path: 'forms', message: '缺少此项:应为列表([…])' });
    expect(refused([])).toEqual([{ path: '', message: '应为对象({…})' }]);
  });

  it('accepts a document whose rounds are listed dates only, in another time zone', () => {
    const doc: CampaignDocument = {
      ...HUANGNAN_2019_DOCUMENT,
      id: 'demo',
      timeZone: 'Europe/Berlin',
      window: { start: '2026-03-01', end: '2026-04-30' },
      due: { dates: ['2026-03-29', '2026-03-10'] },
      milestones: [],
    };
    const result = parseCampaignDocument(doc);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(campaignRounds(doc)).toEqual(['2026-03-10', '2026-03-29']);
    // Berlin moves to summer time on 2026-03-29: that day ends at 22:00 UTC, the 10th at 23:00 UTC.
    expect(dueDeadline('2026-03-10', doc.timeZone).toISOString()).toBe('2026-03-10T23:00:00.000Z');
    expect(dueDeadline('2026-03-29', doc.timeZone).toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});
