// @vitest-environment jsdom
// The pane as a clerk uses it: an in-memory Excel workbook (the real adapter over the fake object model) and a
// real HTTP server scripted per test for the answers (receipts, 409, 422, 401).
import { FUJIAN1 } from '../../test/support/forms-2019';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { phoneProblem } from '../../forms/phone';
import { renderSheet } from '../../forms/render';
import type { Fujian1Row } from '../../test/support/forms-2019';
import { ApiClient } from '../api/client';
import type { CampaignResponse, MeResponse, Receipt } from '../../contract/api';
import { HUANGNAN_2019_DOCUMENT, type CampaignDocument } from '../../forms/campaign';
import huifang2020 from '../../test/support/campaigns/huifang-2020.json';
import { FakeExcel } from '../excel/test/fake-excel';
import { ExcelWorkbookHost } from '../excel/host';
import { fujian1Rows } from '../../test/support/sample-rows';
import { scriptedServer, type Reply, type ScriptedServer, type SeenRequest } from '../../test/support/scripted-server';
import { MARK_COLORS } from '../workbook/types';
import { App } from './App';
import type { KeyValueStorage } from './settings';

/** Clicks a button once it is enabled: a message may show before the task that wrote it has finished. */
async function clickWhenEnabled(name: string): Promise<void> {
  const button = (await screen.findByRole('button', { name })) as HTMLButtonElement;
  await waitFor(() => expect(button.disabled).toBe(false));
  fireEvent.click(button);
}

// jsdom has no layout engine and so no ResizeObserver; Fluent's MessageBar only uses it to pick a line layout.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

const ROUNDS = ['2019-10-24', '2019-11-04', '2019-11-14', '2019-11-24', '2019-12-04', '2019-12-14', '2019-12-24'];
const campaign = {
  id: 'huangnan-2019',
  name: '专项整治',
  start: '2019-10-22',
  end: '2019-12-31',
  dueDays: [4, 14, 24],
  timeZone: 'Asia/Shanghai' as const,
  rounds: ROUNDS,
};
const county: MeResponse = {
  unit: { id: 'tongren', name: '同仁县', role: 'county', aliases: ['同仁市', '同仁县人民政府'], code: 'TR' },
  role: 'county',
  campaign,
  nextDue: '2019-11-14',
  campaigns: [],
};
const prefecture: MeResponse = {
  unit: { id: 'huangnan', name: '黄南州', role: 'prefecture', aliases: ['黄南藏族自治州'], code: 'HN' },
  role: 'prefecture',
  campaign,
  nextDue: '2019-11-14',
  campaigns: [],
};

/** GET /v1/campaigns/huangnan-2019 as the server answers it: the pane takes its forms from here. */
const CAMPAIGN_2019: CampaignResponse = {
  campaign: {
    id: 'huangnan-2019',
    name: campaign.name,
    issuer: HUANGNAN_2019_DOCUMENT.issuer,
    timeZone: campaign.timeZone,
    window: HUANGNAN_2019_DOCUMENT.window,
    rounds: ROUNDS,
    nextDue: '2019-11-14',
    active: true,
    revision: 1,
    publishedAt: '2019-10-20T00:00:00Z',
    forms: HUANGNAN_2019_DOCUMENT.forms.map((f) => ({
      id: f.id,
      tag: f.tag,
      title: f.title,
      kind: f.kind,
      version: 1,
    })),
  },
  document: HUANGNAN_2019_DOCUMENT,
  formVersions: [1, 1],
  versions: [],
};

function receiptFor(req: SeenRequest, extra: Partial<Receipt> = {}): Receipt {
  const body = req.json as {
    form: 'fujian1';
    round: string;
    asOf: string;
    contact: { name: string; phone: string };
    rows: unknown[];
  };
  return {
    id: 'sub-1',
    unit: 'tongren',
    campaign: 'huangnan-2019',
    form: body.form,
    formVersion: 1,
    round: body.round,
    version: 1,
    rowCount: body.rows.length,
    late: false,
    submittedAt: '2019-11-13T02:30:00Z',
    asOf: body.asOf,
    contact: body.contact,
    basedOn: null,
    previousId: null,
    changes: { added: [1, 2, 3], changed: [], newlyClosed: [], rebounds: [], removed: [] },
    warnings: [],
    ...extra,
  };
}

let server: ScriptedServer | undefined;
afterEach(async () => {
  cleanup();
  await server?.close();
  server = undefined;
});

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** The county's server: me, empty history, and whatever `onSubmit` answers to POST /v1/submissions. */
function countyServer(
  me: MeResponse,
  onSubmit: (req: SeenRequest) => Reply,
  extra: (req: SeenRequest) => Reply | undefined = () => undefined,
) {
  return scriptedServer((req) => {
    const special = extra(req);
    if (special) return special;
    if (req.headers.authorization !== 'Bearer good-token')
      return { status: 401, body: { error: { code: 'unauthorized', message: '令牌无效' } } };
    if (req.path === '/v1/me') return { status: 200, body: me };
    if (req.path === '/v1/campaigns/huangnan-2019') return { status: 200, body: CAMPAIGN_2019 };
    if (req.path === '/v1/submissions' && req.method === 'GET') return { status: 200, body: { submissions: [] } };
    if (req.path === '/v1/submissions' && req.method === 'POST') return onSubmit(req);
    return { status: 404, body: { error: { code: 'not_found', message: '无此资源' } } };
  });
}

function workbook(rows: Fujian1Row[] = fujian1Rows(3)) {
  const xl = new FakeExcel();
  xl.addSheet('说明', [['请在「同仁县报表」中填写']]);
  xl.addSheet('同仁县报表', renderSheet(FUJIAN1, rows, { unitName: '同仁县' }).values);
  xl.active = '同仁县报表';
  return { xl, host: new ExcelWorkbookHost(xl.env()) };
}

function mount(host: ExcelWorkbookHost, storage: KeyValueStorage) {
  return render(
    <App host={host} createApi={(o) => new ApiClient({ ...o, sleep: async () => {} })} storage={storage} />,
  );
}

const connected = (baseUrl: string) =>
  memoryStorage({
    'baosong.settings': JSON.stringify({
      baseUrl,
      token: 'good-token',
      contactName: '王芳',
      contactPhone: '0973-8720000',
    }),
  });

async function readyToSubmit() {
  await screen.findByRole('option', { name: /同仁县报表/ });
}

describe('connect', () => {
  it('connects with server address and token, shows the unit and the next due round, and remembers them', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const storage = memoryStorage();
    const { host } = workbook();
    mount(host, storage);
    fireEvent.change(screen.getByLabelText('服务器地址'), { target: { value: server.baseUrl } });
    fireEvent.change(screen.getByLabelText(/访问令牌/), { target: { value: 'good-token' } });
    fireEvent.click(screen.getByRole('button', { name: '连接' }));
    expect(await screen.findByRole('tab', { name: '填报' })).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: '连接' }));
    expect(screen.getByText('同仁县')).toBeTruthy();
    expect(screen.getByText(/下一轮报送截止:2019年11月14日/)).toBeTruthy();
    expect(JSON.parse(storage.data.get('baosong.settings')!)).toMatchObject({
      baseUrl: server.baseUrl,
      token: 'good-token',
    });
  });

  it('explains a rejected token in Chinese and stays on the connect form', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const { host } = workbook();
    mount(host, memoryStorage());
    fireEvent.change(screen.getByLabelText('服务器地址'), { target: { value: server.baseUrl } });
    fireEvent.change(screen.getByLabelText(/访问令牌/), { target: { value: 'revoked' } });
    fireEvent.click(screen.getByRole('button', { name: '连接' }));
    expect(await screen.findByText(/令牌无效或已被吊销.*重新填写/)).toBeTruthy();
    expect(screen.queryByRole('tab', { name: '填报' })).toBeNull();
  });
});

describe('校验', () => {
  it('marks invalid cells, lists the issues, and a click on one selects its cell', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const rows = fujian1Rows(3);
    rows[1] = { ...rows[1], closure: '办完了' as never };
    const { xl, host } = workbook(rows);
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '校验' }));
    const list = await screen.findByRole('list', { name: '问题列表' });
    const item = within(list).getByRole('button', { name: /H6.*是否办结.*已办结、阶段办结、正在办理/ });
    // The address once, on the chip; the message follows without repeating it.
    expect(item.textContent).toBe('H6「是否办结」应填写:已办结、阶段办结、正在办理');
    expect(screen.getByText(/1 处错误\(已标红\)/)).toBeTruthy();
    expect(xl.cell('同仁县报表', 'H6')!.fill).toBe(MARK_COLORS.error);
    fireEvent.click(item);
    await waitFor(() => expect(xl.selected).toEqual({ sheet: '同仁县报表', address: 'H6' }));
    expect(xl.active).toBe('同仁县报表');
  });

  it('does not submit a sheet with errors', async () => {
    server = await countyServer(county, (req) => ({ status: 201, body: receiptFor(req) }));
    const rows = fujian1Rows(2);
    rows[0] = { ...rows[0], address: '' };
    const { host } = workbook(rows);
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/未提交,数据未发送:表格中有 1 处错误\(已标红/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /C5/ })).toBeTruthy();
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
  });
});

describe('提交', () => {
  it('submits the checked rows with one idempotency key and shows the receipt', async () => {
    server = await countyServer(county, (req) => ({
      status: 201,
      body: receiptFor(req, {
        warnings: [{ code: 'fixed.changed', severity: 'warning', message: '序号2「详细地址」与首次报送不同' }],
      }),
    }));
    const storage = connected('');
    storage.setItem(
      'baosong.settings',
      JSON.stringify({ ...JSON.parse(storage.getItem('baosong.settings')!), baseUrl: server.baseUrl }),
    );
    const { host } = workbook();
    mount(host, storage);
    await readyToSubmit();
    fireEvent.change(screen.getByLabelText('数据截至'), { target: { value: '2019-11-12' } });
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/已按时提交:附件1 2019年11月14日轮次第 1 版/)).toBeTruthy();
    expect(screen.getByText('TR-20191114-附件1-v1')).toBeTruthy();
    expect(screen.getByText('首次报送 3 件。')).toBeTruthy();
    expect(screen.getByText('序号2「详细地址」与首次报送不同')).toBeTruthy();
    const post = server.seen.find((r) => r.method === 'POST')!;
    expect(post.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(post.json).toMatchObject({
      form: 'fujian1',
      round: '2019-11-14',
      asOf: '2019-11-12',
      contact: { name: '王芳', phone: '0973-8720000' },
      basedOn: null,
    });
    expect((post.json as { rows: { seq: number }[] }).rows.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('shows the version already submitted this round and names it as what the new submission replaces', async () => {
    const existing = {
      id: 'sub-7',
      unit: 'tongren',
      form: 'fujian1',
      round: '2019-11-14',
      version: 2,
      rowCount: 3,
      late: false,
      submittedAt: '2019-11-12T01:00:00Z',
      asOf: '2019-11-11',
      contact: { name: '李四', phone: '1' },
      basedOn: null,
      current: true,
    };
    server = await countyServer(
      county,
      (req) => ({ status: 201, body: receiptFor(req, { version: 3 }) }),
      (req) =>
        req.path === '/v1/submissions' && req.method === 'GET' && req.url.includes('round=2019-11-14')
          ? { status: 200, body: { submissions: [existing] } }
          : undefined,
    );
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    expect(
      await screen.findByText(/本轮已提交附件1第 2 版\(2019年11月12日 09:00,李四\),再次提交将替换该版本/),
    ).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    // Replacing asks first, naming the version, who and when; nothing is sent before the answer.
    expect(await screen.findByText(/已有第 2 版,由 李四 于 2019年11月12日 09:00 提交/)).toBeTruthy();
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: '确认替换第 2 版' }));
    expect(await screen.findByText(/已按时提交:附件1 2019年11月14日轮次第 3 版/)).toBeTruthy();
    expect(server.seen.find((r) => r.method === 'POST')!.json).toMatchObject({ basedOn: 'sub-7' });
  });

  it('shows a return by the prefecture with its comment, on the form and in the rounds table', async () => {
    const returned = {
      id: 'sub-7',
      unit: 'tongren',
      campaign: 'huangnan-2019',
      form: 'fujian1',
      formVersion: 1,
      round: '2019-11-14',
      version: 1,
      rowCount: 3,
      late: false,
      submittedAt: '2019-11-12T01:00:00Z',
      asOf: '2019-11-11',
      contact: { name: '李四', phone: '0973-8720000' },
      basedOn: null,
      current: true,
      reviews: [
        {
          submissionId: 'sub-7',
          decision: 'returned',
          comment: '第2行整改措施请写明完成时限。',
          by: 'huangnan',
          byName: '黄南州',
          tokenId: 'tok_1',
          at: '2019-11-12T03:00:00Z',
        },
      ],
    };
    server = await countyServer(
      county,
      (req) => ({ status: 201, body: receiptFor(req, { version: 2 }) }),
      (req) =>
        req.path === '/v1/submissions' && req.method === 'GET'
          ? { status: 200, body: { submissions: [returned] } }
          : undefined,
    );
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    const alert = await screen.findByRole('alert', { name: '已退回' });
    expect(alert.textContent).toContain(
      '州级已退回本轮附件1第 1 版（黄南州，2019年11月12日 11:00）：第2行整改措施请写明完成时限。',
    );
    const rounds = await screen.findByRole('table', { name: '各轮次报送情况' });
    await waitFor(() => expect(rounds.textContent).toContain('已退回'));
    // Submitting the new version clears it on the form.
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    fireEvent.click(await screen.findByRole('button', { name: '确认替换第 1 版' }));
    expect(await screen.findByText(/已按时提交:附件1 2019年11月14日轮次第 2 版/)).toBeTruthy();
    expect(screen.queryByRole('alert', { name: '已退回' })).toBeNull();
  });

  it('a second click after a failed network reuses the first click’s key, so nothing is submitted twice', async () => {
    let posts = 0;
    server = await countyServer(county, (req) => (++posts <= 4 ? 'drop' : { status: 201, body: receiptFor(req) }));
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/提交结果未知.*再次点击「提交附件1」是安全的/)).toBeTruthy();
    await clickWhenEnabled('提交附件1');
    expect(await screen.findByText(/已按时提交/)).toBeTruthy();
    const keys = server.seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(1);
  });

  it('a click on changed content gets a new key', async () => {
    server = await countyServer(county, () => ({
      status: 409,
      body: { error: { code: 'conflict', message: '已有新版本' } },
    }));
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/提交冲突/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('数据截至'), { target: { value: '2019-11-10' } });
    await clickWhenEnabled('提交附件1');
    await waitFor(() => expect(server!.seen.filter((r) => r.method === 'POST')).toHaveLength(2));
    const keys = server.seen.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it('tells the clerk a late submission was recorded as 逾期', async () => {
    server = await countyServer(county, (req) => ({ status: 201, body: receiptFor(req, { late: true }) }));
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/已提交\(逾期\)/)).toBeTruthy();
    expect(screen.getByText(/系统已记录为逾期报送/)).toBeTruthy();
  });

  it('explains a 409 conflict: someone else submitted this round meanwhile', async () => {
    server = await countyServer(county, () => ({
      status: 409,
      body: { error: { code: 'conflict', message: '本轮已由 李四 于 2019-11-13 10:20 提交第 2 版' } },
    }));
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/提交冲突.*李四.*请先「拉取上次填报」核对后再提交/)).toBeTruthy();
  });

  it('shows the server’s 422 issues at their cells and marks them', async () => {
    server = await countyServer(county, () => ({
      status: 422,
      body: {
        error: {
          code: 'validation',
          message: '数据未通过校验',
          issues: [
            {
              code: 'progress.required',
              severity: 'error',
              row: 2,
              key: 'progress',
              column: '主题教育期间整改进展',
              message: '第2行「主题教育期间整改进展」不能为空',
            },
          ],
        },
      },
    }));
    const { xl, host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/数据未通过服务器校验/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /^G6「主题教育期间整改进展」不能为空$/ })).toBeTruthy();
    expect(xl.cell('同仁县报表', 'G6')!.fill).toBe(MARK_COLORS.error);
  });

  it('asks for the contact person before submitting', async () => {
    server = await countyServer(county, (req) => ({ status: 201, body: receiptFor(req) }));
    const { host } = workbook();
    mount(
      host,
      memoryStorage({ 'baosong.settings': JSON.stringify({ baseUrl: server.baseUrl, token: 'good-token' }) }),
    );
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/^未提交,数据未发送:「联系人」「联系电话」需要填写或改正/)).toBeTruthy();
    expect(screen.getByText('请填写联系人姓名。')).toBeTruthy();
    expect(screen.getByText(/^请填写联系电话/)).toBeTruthy();
  });
});

describe('本单位联系人', () => {
  it('registers the unit’s contact from the 填报 tab, refusing a bad phone first, and shows what was saved', async () => {
    server = await countyServer(
      { ...county, contact: null },
      () => ({ status: 500 }),
      (req) =>
        req.path === '/v1/units/tongren/contact' && req.method === 'POST'
          ? {
              status: 200,
              body: { contact: { ...(req.json as object), updatedAt: '2019-11-12T02:00:00Z', updatedBy: 'tok_1' } },
            }
          : undefined,
    );
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    const panel = await screen.findByRole('region', { name: '本单位联系方式' });
    expect(panel.textContent).toContain('尚未登记');
    fireEvent.click(within(panel).getByRole('button', { name: '登记联系人' }));
    fireEvent.change(within(panel).getByLabelText('姓名'), { target: { value: '才让' } });
    fireEvent.change(within(panel).getByLabelText('电话'), { target: { value: '12345' } });
    fireEvent.change(within(panel).getByLabelText('科室/职务'), { target: { value: '县生态环境局办公室' } });
    fireEvent.click(within(panel).getByRole('button', { name: '保存联系人' }));
    expect(await within(panel).findByText(phoneProblem('12345')!)).toBeTruthy();
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.change(within(panel).getByLabelText('电话'), { target: { value: '0973-8766123' } });
    fireEvent.click(within(panel).getByRole('button', { name: '保存联系人' }));
    await waitFor(() => expect(panel.textContent).toContain('才让(县生态环境局办公室) 0973-8766123'));
    expect(server.seen.filter((r) => r.method === 'POST').map((r) => [r.path, r.json])).toEqual([
      ['/v1/units/tongren/contact', { name: '才让', phone: '0973-8766123', office: '县生态环境局办公室' }],
    ]);
  });

  it('a submission’s contact defaults to the registered one on a computer that remembers none', async () => {
    server = await countyServer(
      {
        ...county,
        contact: { name: '卓玛', phone: '0973-8722111', office: '', updatedAt: '2019-11-01T00:00:00Z', updatedBy: 't' },
      },
      (req) => ({ status: 201, body: receiptFor(req) }),
    );
    const { host } = workbook();
    mount(
      host,
      memoryStorage({ 'baosong.settings': JSON.stringify({ baseUrl: server.baseUrl, token: 'good-token' }) }),
    );
    await readyToSubmit();
    expect((screen.getByLabelText('联系人') as HTMLInputElement).value).toBe('卓玛');
    expect((screen.getByLabelText('联系电话') as HTMLInputElement).value).toBe('0973-8722111');
  });
});

describe('数据截至', () => {
  const asOfField = () => screen.getByLabelText('数据截至') as HTMLInputElement;
  const sheetWith = (meta: { fillDate?: string }) => {
    const xl = new FakeExcel();
    xl.addSheet('同仁县报表', renderSheet(FUJIAN1, fujian1Rows(3), { unitName: '同仁县', ...meta }).values);
    return { xl, host: new ExcelWorkbookHost(xl.env()) };
  };

  it('defaults to the round’s due date once it has passed, and follows the chosen round', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const { host } = sheetWith({});
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    // The test campaign's rounds (2019) are all in the past.
    expect(asOfField().value).toBe('2019-11-14');
    expect(screen.getByText('默认为本轮截止日')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('报送轮次'), { target: { value: '2019-11-04' } });
    expect(asOfField().value).toBe('2019-11-04');
  });

  it('takes the sheet’s 填报日期, and submits it even without a 校验 first', async () => {
    server = await countyServer(county, (req) => ({ status: 201, body: receiptFor(req) }));
    const { host } = sheetWith({ fillDate: '2019-11-12' });
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    // Shown before the click: the value that will be sent.
    await waitFor(() => expect(asOfField().value).toBe('2019-11-12'));
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/已按时提交/)).toBeTruthy();
    expect(server.seen.find((r) => r.method === 'POST')!.json).toMatchObject({ asOf: '2019-11-12' });
    expect(asOfField().value).toBe('2019-11-12');
    expect(screen.getByText('取自表格中的「填报日期」')).toBeTruthy();
  });

  it('keeps what the clerk typed over the sheet’s date, and refuses a date after today', async () => {
    server = await countyServer(county, (req) => ({ status: 201, body: receiptFor(req) }));
    const { host } = sheetWith({ fillDate: '2019-11-12' });
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.change(asOfField(), { target: { value: '2099-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: '提交附件1' }));
    expect(await screen.findByText(/「数据截至」不能晚于今天/)).toBeTruthy();
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.change(asOfField(), { target: { value: '2019-11-11' } });
    await clickWhenEnabled('校验');
    expect(await screen.findByText(/没有错误/)).toBeTruthy();
    expect(asOfField().value).toBe('2019-11-11');
    expect(screen.queryByText('取自表格中的「填报日期」')).toBeNull();
    await clickWhenEnabled('提交附件1');
    expect(await screen.findByText(/已按时提交/)).toBeTruthy();
    expect(server.seen.find((r) => r.method === 'POST')!.json).toMatchObject({ asOf: '2019-11-11' });
  });
});

describe('older Excel', () => {
  it('tells the clerk what this Excel cannot do, and 校验 still works with colours and the list', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const rows = fujian1Rows(2);
    rows[0] = { ...rows[0], closure: '' as never };
    const xl = new FakeExcel('1.7');
    xl.addSheet('同仁县报表', renderSheet(FUJIAN1, rows).values);
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    expect(
      await screen.findByText(/当前 Excel 版本较旧,「是否办结」没有下拉列表、问题不会以批注形式附在单元格上/),
    ).toBeTruthy();
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '校验' }));
    expect(await screen.findByRole('button', { name: /H5/ })).toBeTruthy();
    expect(xl.cell('同仁县报表', 'H5')!.fill).toBe(MARK_COLORS.error);
    expect(xl.sheet('同仁县报表').notes.size).toBe(0);
  });
});

describe('templates and pulls', () => {
  it('inserts a blank 附件1 and offers it for 校验', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    expect(await screen.findByText(/没有找到附件1或附件2/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: '插入空白附件1' }));
    expect(await screen.findByText(/已插入工作表「附件1」/)).toBeTruthy();
    expect(xl.cell('附件1', 'A4')!.value).toBe('序号');
    expect(xl.cell('附件1', 'A3')!.value).toBe('填报单位(公章):同仁县');
    expect(screen.getByRole('option', { name: '附件1(附件1)' })).toBeTruthy();
  });

  it('pulls the last 附件1 into a sheet where only 整改进展 and 是否办结 can be edited', async () => {
    const last = fujian1Rows(4);
    server = await countyServer(
      county,
      () => ({ status: 500 }),
      (req) =>
        req.path === '/v1/units/tongren/forms/fujian1/latest'
          ? {
              status: 200,
              body: {
                id: 'sub-9',
                unit: 'tongren',
                form: 'fujian1',
                round: '2019-11-04',
                version: 1,
                rowCount: 4,
                rows: last,
                offset: 0,
                next: null,
              },
            }
          : undefined,
    );
    const { xl, host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '拉取上次填报' }));
    expect(
      await screen.findByText(/已将 2019-11-04 轮次的 4 行附件1放入工作表「附件1\(2019-11-04已报\)」/),
    ).toBeTruthy();
    const sheet = '附件1(2019-11-04已报)';
    expect(xl.cell(sheet, 'D8')!.value).toBe(last[3].complaint);
    expect(() => xl.userEdit(sheet, 'D8', '改')).toThrow();
    xl.userEdit(sheet, 'H8', '已办结');
    expect(xl.cell(sheet, 'H8')!.value).toBe('已办结');
  });

  it('says so when the unit has nothing to pull yet', async () => {
    server = await countyServer(county, () => ({ status: 500 }));
    const { host } = workbook();
    mount(host, connected(server.baseUrl));
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '拉取上次填报' }));
    expect(await screen.findByText(/本单位尚无已提交的附件1/)).toBeTruthy();
  });
});

describe('prefecture', () => {
  const unitStatus = (status: 'ontime' | 'missing', name: string) => ({
    unit: name,
    unitName: name,
    status,
    submissionId: status === 'missing' ? null : 's',
    round: '2019-11-14',
    submittedAt: status === 'missing' ? null : '2019-11-13T02:30:00Z',
    contactName: status === 'missing' ? null : '王芳',
    version: 1,
    rowCount: 3,
    review: status === 'missing' ? null : ('pending' as const),
  });

  it('reviews from the board: a return needs a comment, is sent for the version shown, and the board shows 已退回', async () => {
    let decided: string | null = null;
    const board = () => ({
      round: '2019-11-14',
      deadline: '2019-11-14T16:00:00Z',
      units: [
        {
          unit: 'tongren',
          unitName: '同仁县',
          forms: {
            fujian1: {
              ...unitStatus('ontime', '同仁县'),
              submissionId: 'sub-9',
              ...(decided ? { review: decided, reviewComment: '请补充整改时限' } : {}),
            },
            fujian2: unitStatus('missing', '同仁县'),
          },
        },
      ],
    });
    server = await countyServer(
      prefecture,
      () => ({ status: 500 }),
      (req) => {
        if (req.path === '/v1/status') return { status: 200, body: board() };
        if (req.path === '/v1/submissions/sub-9/review' && req.method === 'POST') {
          decided = (req.json as { decision: string }).decision;
          return { status: 201, body: { review: { submissionId: 'sub-9', ...(req.json as object) } } };
        }
        return undefined;
      },
    );
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    const table = await screen.findByRole('table', { name: '报送情况' });
    expect(within(table).getAllByRole('row')[1].textContent).toContain('待审核');
    fireEvent.click(await screen.findByRole('button', { name: '审核同仁县附件1' }));
    const box = await screen.findByRole('region', { name: '审核' });
    expect(box.textContent).toContain('审核 同仁县 附件1 第 1 版');
    fireEvent.click(within(box).getByRole('button', { name: '退回' }));
    expect(await screen.findByText('退回时请在「审核意见」中写明需要修改的内容。')).toBeTruthy();
    expect(server.seen.filter((r) => r.method === 'POST')).toHaveLength(0);
    fireEvent.change(within(box).getByLabelText(/审核意见/), { target: { value: ' 请补充整改时限 ' } });
    fireEvent.click(within(box).getByRole('button', { name: '退回' }));
    expect(await screen.findByText('已退回同仁县附件1第 1 版,该单位在填报页可看到审核意见。')).toBeTruthy();
    const posts = server.seen.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.path, r.json])).toEqual([
      ['/v1/submissions/sub-9/review', { decision: 'returned', comment: '请补充整改时限' }],
    ]);
    // The click carries a key of its own, so a retry after a lost answer is not recorded twice.
    expect(posts[0].headers['idempotency-key']).toMatch(/^[\w-]{16,}$/);
    await waitFor(() =>
      expect(within(screen.getByRole('table', { name: '报送情况' })).getAllByRole('row')[1].textContent).toContain(
        '已退回',
      ),
    );
    expect(screen.queryByRole('region', { name: '审核' })).toBeNull();
  });

  it('shows the status board and writes the consolidated 附件1 to a new sheet', async () => {
    server = await countyServer(
      prefecture,
      () => ({ status: 500 }),
      (req) => {
        if (req.path === '/v1/status')
          return {
            status: 200,
            body: {
              round: '2019-11-14',
              deadline: '2019-11-14T16:00:00Z',
              units: [
                {
                  unit: 'tongren',
                  unitName: '同仁县',
                  forms: { fujian1: unitStatus('ontime', '同仁县'), fujian2: unitStatus('missing', '同仁县') },
                },
                {
                  unit: 'zeku',
                  unitName: '泽库县',
                  forms: { fujian1: unitStatus('missing', '泽库县'), fujian2: unitStatus('missing', '泽库县') },
                },
              ],
            },
          };
        if (req.path === '/v1/consolidated/fujian1')
          return {
            status: 200,
            body: {
              form: 'fujian1',
              round: '2019-11-14',
              units: [],
              totals: { rows: 2 },
              next: null,
              rows: fujian1Rows(2).map((r, i) => ({
                ...r,
                seq: i + 1,
                originalSeq: i + 1,
                unit: 'tongren',
                unitName: '同仁县',
                status: 'ontime',
              })),
            },
          };
        return undefined;
      },
    );
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    // The board loads by itself when the tab opens.
    const board = await screen.findByRole('table', { name: '报送情况' });
    expect(within(board).getAllByRole('row')[2].textContent).toContain('泽库县未登记联系人未报送未报送');
    fireEvent.click(screen.getByRole('button', { name: '汇总附件1' }));
    expect(await screen.findByText('已生成工作表「附件1汇总 2019-11-14」。')).toBeTruthy();
    expect(xl.cell('附件1汇总 2019-11-14', 'I4')!.value).toBe('填报单位');
    expect(xl.cell('附件1汇总 2019-11-14', 'I5')!.value).toBe('同仁县');
    expect(xl.cell('附件1汇总 2019-11-14', 'A7')!.value).toBe('合计');
  });

  /** The server's stored sample of 2019-11-14 (POST /v1/callbacks/sample): one case of 同仁县, drawn before or now. */
  function sampleServer(answer: 'drawn' | 'stored' | 'nothing') {
    /** The one sampled case's tally before the office records a result (the pane only shows the cases here). */
    const notVisited = {
      sampled: 1,
      visited: 0,
      satisfied: 0,
      basicallySatisfied: 0,
      dissatisfied: 0,
      coverage: 0,
      satisfaction: 0,
    };
    const sample = {
      campaign: 'huangnan-2019',
      round: '2019-11-14',
      form: 'fujian1',
      seed: '2019-11-14#2468',
      rate: 0.2,
      drawnAt: '2019-11-15T02:00:00Z',
      drawnBy: 'huangnan',
      drawnByName: '黄南州',
      created: answer === 'drawn',
      cases: [
        {
          unit: 'tongren',
          unitName: '同仁县',
          seq: 3,
          row: { ...fujian1Rows(3)[2], closure: '已办结' },
          submissionId: 'sub-1',
          result:
            answer === 'stored'
              ? {
                  way: '电话',
                  date: '2019-11-18',
                  result: '满意',
                  note: '',
                  by: 'huangnan',
                  byName: '黄南州',
                  tokenId: 't',
                  at: '',
                }
              : null,
          history: [],
        },
      ],
      units: [{ unit: 'tongren', unitName: '同仁县', closed: 5, ...notVisited }],
      totals: notVisited,
    };
    return countyServer(
      prefecture,
      () => ({ status: 500 }),
      (req) =>
        req.path === '/v1/callbacks/sample' && req.method === 'POST'
          ? answer === 'nothing'
            ? {
                status: 409,
                body: {
                  error: {
                    code: 'nothing_to_draw',
                    message:
                      '2019-11-14 轮的汇总附件1中还没有已办结的案件,无需抽取回访样本。各县报送已办结案件后再抽取。',
                  },
                },
              }
            : { status: answer === 'drawn' ? 201 : 200, body: sample }
          : undefined,
    );
  }

  it('makes the round’s 催报 list: text to copy and a sheet with whom to call', async () => {
    const list = {
      campaign: 'huangnan-2019',
      round: '2019-11-14',
      deadline: '2019-11-14T16:00:00Z',
      overdue: true,
      units: [
        {
          unit: 'zeku',
          unitName: '泽库县',
          missing: ['附件1', '附件2'],
          late: [],
          contactName: '才让',
          contactPhone: '0973-8766123',
          contactOffice: '县环保局',
        },
      ],
      text: '【催报】专项整治 2019年11月14日轮次已过截止日。\n1. 泽库县:附件1、附件2逾期未报。联系人:才让(县环保局) 0973-8766123\n请尽快报送,并说明逾期原因。',
    };
    server = await countyServer(
      prefecture,
      () => ({ status: 500 }),
      (req) => {
        if (req.path === '/v1/reminders') return { status: 200, body: list };
        if (req.path === '/v1/status')
          return { status: 200, body: { round: '2019-11-14', deadline: list.deadline, units: [] } };
        return undefined;
      },
    );
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    fireEvent.click(await screen.findByRole('button', { name: '生成本轮催报名单' }));
    const box = await screen.findByRole('region', { name: '催报名单' });
    expect(box.textContent).toContain('共 1 个单位逾期未报或逾期报送');
    expect((within(box).getByRole('textbox') as HTMLTextAreaElement).value).toBe(list.text);
    fireEvent.click(within(box).getByRole('button', { name: '写入催报表' }));
    expect(await screen.findByText('已生成工作表「催报 2019-11-14」。')).toBeTruthy();
    const texts = [...xl.sheet('催报 2019-11-14').cells.values()].map((c) => String(c.value));
    expect(texts).toEqual(
      expect.arrayContaining(['泽库县', '附件1、附件2', '才让', '县环保局', '0973-8766123', '逾期未报']),
    );
  });

  it('asks the server for the round’s callback sample and writes it to a sheet to fill in, with its seed', async () => {
    server = await sampleServer('drawn');
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    fireEvent.change(await screen.findByLabelText('抽样号'), { target: { value: '２４６８' } });
    fireEvent.click(screen.getByRole('button', { name: '抽取回访样本(20%)' }));
    expect(
      await screen.findByText(
        /已生成工作表「回访样本 2019-11-14」:从 5 件已办结案件中抽取 1 件\(抽样种子 2019-11-14#2468\),样本已保存,不会重新抽取。/,
      ),
    ).toBeTruthy();
    const sent = server.seen.find((r) => r.path === '/v1/callbacks/sample')!;
    expect(sent.json).toEqual({ campaign: 'huangnan-2019', round: '2019-11-14', number: '2468' });
    const sheet = '回访样本 2019-11-14';
    expect(xl.cell(sheet, 'A1')!.value).toBe('附件1已办结案件回访样本(2019-11-14 轮,抽样种子 2019-11-14#2468)');
    expect(['B4', 'C4', 'J3', 'L3'].map((a) => xl.cell(sheet, a)?.value)).toEqual([
      '同仁县',
      3,
      '回访方式',
      '回访结果',
    ]);
  });

  it('a sample drawn before comes back with its results filled in, and is not drawn again', async () => {
    server = await sampleServer('stored');
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    fireEvent.click(await screen.findByRole('button', { name: '抽取回访样本(20%)' }));
    expect(
      await screen.findByText(/本轮样本已于 .* 由黄南州抽取\(抽样种子 2019-11-14#2468\),共 1 件,不会重新抽取/),
    ).toBeTruthy();
    expect((screen.getByLabelText('抽样号') as HTMLInputElement).value).toBe('2468');
    expect(['J4', 'K4', 'L4'].map((a) => xl.cell('回访样本 2019-11-14', a)?.value)).toEqual([
      '电话',
      '2019-11-18',
      '满意',
    ]);
  });

  it('says what the server says when no case is closed yet, and writes no sheet', async () => {
    server = await sampleServer('nothing');
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    fireEvent.click(await screen.findByRole('button', { name: '抽取回访样本(20%)' }));
    expect(await screen.findByText(/中还没有已办结的案件,无需抽取回访样本/)).toBeTruthy();
    expect(xl.sheets.map((x) => x.name)).toEqual(['Sheet1']);
  });

  it('asks for digits when the 抽样号 is not a number', async () => {
    server = await sampleServer('drawn');
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    mount(new ExcelWorkbookHost(xl.env()), connected(server.baseUrl));
    fireEvent.change(await screen.findByLabelText('抽样号'), { target: { value: '四八' } });
    fireEvent.click(screen.getByRole('button', { name: '抽取回访样本(20%)' }));
    expect(await screen.findByText(/抽样号请填写数字/)).toBeTruthy();
    expect(server.seen.some((r) => r.path === '/v1/callbacks/sample')).toBe(false);
  });
});

describe('forms from the server', () => {
  /** A second campaign 同仁县 reports in, with forms no code knows: test/support/campaigns/huifang-2020.json. */
  const HUIFANG = huifang2020 as CampaignDocument;
  const huifangSummary = {
    ...CAMPAIGN_2019.campaign,
    id: HUIFANG.id,
    name: HUIFANG.name,
    rounds: ['2020-03-15', '2020-03-31'],
    nextDue: '2020-03-15',
    forms: HUIFANG.forms.map((f) => ({ id: f.id, tag: f.tag, title: f.title, kind: f.kind, version: 1 })),
  };
  const inTwo: MeResponse = { ...county, campaigns: [CAMPAIGN_2019.campaign, huifangSummary] };
  const twoCampaigns = (extra: (req: SeenRequest) => Reply | undefined = () => undefined) =>
    countyServer(
      inTwo,
      () => ({ status: 500 }),
      (req) =>
        req.path === `/v1/campaigns/${HUIFANG.id}`
          ? {
              status: 200,
              body: { campaign: huifangSummary, document: HUIFANG, formVersions: [1, 1], versions: [] },
            }
          : extra(req),
    );

  it('a unit in two campaigns chooses one: its forms fill the buttons, its requests name it, the choice is remembered', async () => {
    server = await twoCampaigns();
    const xl = new FakeExcel();
    xl.addSheet('Sheet1');
    const storage = connected(server.baseUrl);
    mount(new ExcelWorkbookHost(xl.env()), storage);
    expect(await screen.findByRole('button', { name: '插入空白附件2' })).toBeTruthy();
    const choice = screen.getByLabelText('专项行动');
    const histories = (from: number) => server!.seen.slice(from).filter((r) => r.path === '/v1/submissions');
    // The first campaign's own history has been asked for (and answered) before the switch.
    await waitFor(() => expect(histories(0).length).toBeGreaterThan(0));
    const switchedAt = server.seen.length;
    fireEvent.change(choice, { target: { value: HUIFANG.id } });
    expect(await screen.findByRole('button', { name: '插入空白附件3' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '插入空白附件4' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '插入空白附件1' })).toBeNull();
    expect(JSON.parse(storage.data.get('baosong.settings')!).campaign).toBe(HUIFANG.id);

    // The new form's template, then its choice column checked with its own list and its own hint.
    fireEvent.click(screen.getByRole('button', { name: '插入空白附件3' }));
    expect(await screen.findByText(/已插入工作表「回访情况表」/)).toBeTruthy();
    expect(xl.cell('回访情况表', 'D4')!.value).toBe('回访方式');
    ['1', '同仁县隆务镇', '2020-03-05', '上门', '', '已整改到位'].forEach((v, i) =>
      xl.userEdit('回访情况表', `${'ABCDEF'[i]}5`, v),
    );
    fireEvent.click(screen.getByRole('button', { name: '校验' }));
    const list = await screen.findByRole('list', { name: '问题列表' });
    expect(within(list).getByRole('button', { name: /D5/ }).textContent).toBe('D5「回访方式」应填写:电话、实地');
    expect(xl.cell('回访情况表', 'D5')!.fill).toBe(MARK_COLORS.error);
    // Asked with the chosen campaign, at the chosen round's form versions.
    expect(server.seen.some((r) => r.url === `/v1/campaigns/${HUIFANG.id}?round=2020-03-15`)).toBe(true);
    expect(histories(0).every((r) => /[?&]campaign=/.test(r.url))).toBe(true);
    expect(histories(switchedAt).length).toBeGreaterThan(0);
    expect(histories(switchedAt).every((r) => r.url.includes(`campaign=${HUIFANG.id}`))).toBe(true);

    // Opened again: the same campaign.
    cleanup();
    mount(new ExcelWorkbookHost(xl.env()), storage);
    expect(await screen.findByRole('button', { name: '插入空白附件3' })).toBeTruthy();
  });

  it('checks with the forms kept from the last connection when the server cannot be reached', async () => {
    server = await twoCampaigns();
    const storage = connected(server.baseUrl);
    const { xl, host } = workbook([{ ...fujian1Rows(1)[0], closure: '办完了' as never }]);
    mount(host, storage);
    await readyToSubmit();
    cleanup();
    await server.close();
    server = undefined;

    mount(host, storage);
    expect(await screen.findByText(/暂时连不上服务器:表格按本机保存的「专项整治」校验/)).toBeTruthy();
    await readyToSubmit();
    fireEvent.click(screen.getByRole('button', { name: '校验' }));
    const list = await screen.findByRole('list', { name: '问题列表' });
    expect(within(list).getByRole('button', { name: /H5/ }).textContent).toBe(
      'H5「是否办结」应填写:已办结、阶段办结、正在办理',
    );
    expect(xl.cell('同仁县报表', 'H5')!.fill).toBe(MARK_COLORS.error);
  });
});
