// The admin commands (infra/admin/cli.ts runs them): units and access tokens, on the same store `npm start` uses or on AWS.
//   token create --unit <id> --role county|prefecture|admin   (the token alone on the last line)
//   token revoke <token id>       token list
//   unit add <id> <名称> [--role county|prefecture]             unit list
//   campaign publish <file.json>  (every mistake listed by JSON path; nothing published unless all is right)
//   campaign list
// Where: DYNAMODB_ENDPOINT if set; else TABLE_NAME + AWS_REGION without DATA_DIR/DYNAMODB_PORT → AWS;
// else DynamoDB Local on 127.0.0.1:$DYNAMODB_PORT (8000), started on $DATA_DIR (.data) for the command if not running.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { campaignRounds, nextDueRound } from '../../forms/calendar';
import type { Role } from '../../contract/api';
import { issueToken } from '../../functions/auth';
import { BUILT_IN_CAMPAIGN } from '../../functions/domain/campaign';
import { publishCampaign } from '../../functions/domain/publish';
import { DynamoStore } from '../../functions/store/dynamo';
import { createDynamoClient, DEFAULT_TABLE_NAME, ensureTable } from '../../functions/store/table';
import type { Store } from '../../functions/store/types';
import { portOpen, startDynamoLocal, type DynamoLocal } from '../local/dynamodb-local';

export const USAGE = `用法:
  npm run admin -- token create --unit <单位编号> --role county|prefecture|admin
  npm run admin -- token revoke <令牌编号>
  npm run admin -- token list
  npm run admin -- unit add <单位编号> <名称> [--role county|prefecture]
  npm run admin -- unit list
  npm run admin -- campaign publish <专项行动文件.json>
  npm run admin -- campaign list`;

export class UsageError extends Error {}

const ROLES: Role[] = ['county', 'prefecture', 'admin'];
const stdout = (line: string): void => void process.stdout.write(line + '\n');

export async function openStore(
  env: NodeJS.ProcessEnv,
): Promise<{ store: Store; close: () => Promise<void>; where: string }> {
  const tableName = env.TABLE_NAME || DEFAULT_TABLE_NAME;
  const wantsLocal = !!(env.DATA_DIR || env.DYNAMODB_PORT) || !(env.TABLE_NAME && env.AWS_REGION);
  let endpoint = env.DYNAMODB_ENDPOINT || undefined;
  let local: DynamoLocal | undefined;
  if (!endpoint && wantsLocal) {
    const port = Number(env.DYNAMODB_PORT || 8000);
    if (!(await portOpen(port))) local = await startDynamoLocal({ port, dbPath: env.DATA_DIR || '.data' });
    endpoint = `http://127.0.0.1:${port}`;
  }
  const client = createDynamoClient({ endpoint, region: env.AWS_REGION || undefined });
  if (endpoint) await ensureTable(client, tableName);
  return {
    store: new DynamoStore({ client, tableName }),
    where: endpoint ? `${endpoint} 表 ${tableName}` : `AWS ${env.AWS_REGION} 表 ${tableName}`,
    close: async () => {
      client.destroy();
      await local?.stop();
    },
  };
}

/** Runs one command; `out` receives the lines a user reads (stdout by default). */
export async function run(argv: string[], store: Store, out: (line: string) => void = stdout): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { unit: { type: 'string' }, role: { type: 'string' } },
  });
  const [noun, verb, ...rest] = positionals;
  const role = values.role as Role | undefined;
  if (role !== undefined && !ROLES.includes(role))
    throw new UsageError(`--role 应为 county、prefecture 或 admin,不能是“${role}”。`);

  if (noun === 'token' && verb === 'create') {
    if (!values.unit) throw new UsageError('请用 --unit 指定单位编号,例如 --unit tongren。');
    const unit = await store.getUnit(values.unit);
    if (!unit) throw new UsageError(`单位“${values.unit}”不存在。先用 unit list 查看,或用 unit add 添加。`);
    // A token's role may not exceed its unit's: a county token with a prefecture role would read every county.
    if (unit.role === 'county' && role !== undefined && role !== 'county') {
      throw new UsageError(
        `${unit.name}(${unit.id})是县级单位,只能签发 county 令牌;prefecture 和 admin 令牌只能发给州级单位(unit list 中角色为 prefecture 的单位)。`,
      );
    }
    const { token, record } = await issueToken(store, unit.id, role ?? unit.role);
    out(`已为 ${unit.name}(${unit.id})创建 ${record.role} 令牌,编号 ${record.id}。令牌只显示这一次:`);
    out(token);
    return;
  }
  if (noun === 'token' && verb === 'revoke') {
    if (!rest[0]) throw new UsageError('请给出要吊销的令牌编号(token list 中的 tok_…)。');
    if (!(await store.revokeToken(rest[0]))) throw new UsageError(`没有编号为“${rest[0]}”的令牌。`);
    out(`令牌 ${rest[0]} 已吊销,立即失效。`);
    return;
  }
  if (noun === 'token' && verb === 'list') {
    for (const t of (await store.listTokens()).sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
      out([t.id, t.unit, t.role, t.createdAt, t.revoked ? '已吊销' : '有效'].join('\t'));
    }
    return;
  }
  if (noun === 'unit' && verb === 'add') {
    const [id, name] = rest;
    if (!id || !name) throw new UsageError('请给出单位编号和名称,例如:unit add maixiu 麦秀镇。');
    if (!/^[a-z][a-z0-9-]{1,31}$/.test(id))
      throw new UsageError('单位编号只能用小写字母、数字和连字符,以字母开头,例如 tongren。');
    if (role === 'admin') throw new UsageError('单位的 --role 只能是 county 或 prefecture。');
    const order = (await store.listUnits()).reduce((max, u) => Math.max(max, u.order), -1) + 1;
    if (!(await store.createUnit({ id, name, role: role ?? 'county', order, createdAt: new Date().toISOString() }))) {
      throw new UsageError(`单位“${id}”已存在。`);
    }
    out(`已添加单位 ${name}(${id},${role ?? 'county'})。`);
    return;
  }
  if (noun === 'unit' && verb === 'list') {
    for (const u of await store.listUnits()) out([u.id, u.name, u.role].join('\t'));
    return;
  }
  if (noun === 'campaign' && verb === 'publish') {
    await publishFile(rest[0], store, out);
    return;
  }
  if (noun === 'campaign' && verb === 'list') {
    const now = new Date();
    const stored = await store.listCampaigns();
    if (stored.length === 0)
      out(`(尚未发布任何专项行动;服务按内置的 ${BUILT_IN_CAMPAIGN.id} 运行。用 campaign publish 发布。)`);
    for (const c of stored) {
      const d = c.document;
      const rounds = campaignRounds(d);
      out(
        [
          c.id,
          d.name,
          `第 ${c.revision} 次发布`,
          `${d.window.start} 至 ${d.window.end}`,
          `${rounds.length} 轮,下一轮 ${nextDueRound(d, now) ?? '无(已结束)'}`,
          `${d.units.length} 个单位`,
          c.forms
            .map((f) => `${d.forms.find((s) => s.id === f.id)?.tag ?? f.id}(${f.id})第 ${f.version} 版`)
            .join('、'),
        ].join('\t'),
      );
    }
    return;
  }
  throw new UsageError(USAGE);
}

/** Reads, checks and publishes a campaign document; a refused one throws with every mistake on its own line. */
async function publishFile(file: string | undefined, store: Store, out: (line: string) => void): Promise<void> {
  if (!file) throw new UsageError('请给出专项行动文件,例如:campaign publish forms/campaigns/huangnan-2019.json。');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`读不到文件“${file}”。请核对路径。`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`“${file}”不是有效的 JSON(${(err as Error).message})。请检查括号、逗号和引号。`);
  }
  const outcome = await publishCampaign(store, json, new Date());
  if (!outcome.ok) {
    throw new CampaignRefused(
      `“${file}”有 ${outcome.issues.length} 处错误,未发布任何内容。请逐项改正后重新发布:\n` +
        outcome.issues.map((i) => `  ${i.path || '(整个文件)'}: ${i.message}`).join('\n'),
    );
  }
  const c = outcome.campaign;
  out(`已发布专项行动 ${c.document.name}(${c.id}),第 ${c.revision} 次发布。`);
  for (const v of outcome.published) {
    const tag = c.document.forms.find((f) => f.id === v.form)?.tag ?? v.form;
    out(`  ${tag}(${v.form}):第 ${v.version} 版,${v.validFrom ? `自 ${v.validFrom} 一轮起使用` : '用于全部轮次'}`);
  }
  for (const id of outcome.unchanged) {
    const tag = c.document.forms.find((f) => f.id === id)?.tag ?? id;
    out(`  ${tag}(${id}):未改动,沿用第 ${c.forms.find((f) => f.id === id)?.version} 版`);
  }
  if (outcome.createdUnits.length > 0)
    out(`  新建单位:${outcome.createdUnits.join('、')}(用 token create 为其签发令牌)`);
}

/** A campaign document with mistakes: the message lists them all; no usage text after it. */
export class CampaignRefused extends Error {}
