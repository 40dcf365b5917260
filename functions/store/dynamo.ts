// The DynamoDB implementation of Store: one table, keys below, on-demand billing. See functions/README.md.
//
//   pk                      sk                     what
//   CAMPAIGNS               CAMPAIGN#<id>          a published campaign: its document, gzip JSON (one Query lists all)
//   CAMPAIGN#<id>           FORM#<form>#V#<00001>  an immutable form version (written with the campaign revision
//                                                  naming it, in one transaction)
//   UNITS                   UNIT#<id>              a unit (one Query lists them all)
//   TOKEN#<sha256>          TOKEN                  a token (gsi1: TOKENS / <token id>)
//   SUB#<id>                HEAD                   a committed submission (gsi1: HIST#<unit> / <submittedAt>#<id>)
//   SUB#<id>                ROWS#<00000>           its rows, gzip JSON chunks (written before HEAD with expiresAt;
//                                                  the commit removes it, so only chunks never committed expire)
//   SUB#<id>                PENDING                written before the first chunk, deleted by the commit: rows of a
//                                                  submission that never commits are found and swept by it
//                                                  (gsi1: PENDING / <startedAt>#<id>)
//   UNIT#<unit>             CUR#<campaign>#<form>#<round>   the current submission of that form and round
//                                                  (gsi1: CURRENT#<campaign> / <round>#<form>#<unit>: every unit's
//                                                  pointers of a campaign in one Query)
//                                                  `review`: its newest review, removed by the next commit
//   UNIT#<unit>             FORM#<campaign>#<form> latest and first accepted submission of that form
//   UNIT#<unit>             CONTACT                the unit's registered contact (gsi1: CONTACTS / <unit>)
//   SUB#<id>                REVIEW#<at>#<random>   a review of the submission, kept for good
//                                                  (gsi1: REVIEWS#<unit> / <at>#<id>)
//   IDEM#<scope>#<key>      IDEM                   an Idempotency-Key already used
//   UPLOAD#<scope>#<key>    PART#<nnn>#<ss>        a part of a submission sent in parts (parts.ts; expiresAt)
import { randomBytes } from 'node:crypto';
import {
  BatchWriteItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
  type AttributeValue,
  type QueryCommandInput,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { FormId } from '../../forms/types';
import { chunkLines, packJson, packRows, unpackJson, type Chunk } from './codec';
import { PartStore, type StoredPart } from './parts';
import { pauseBeforeRetry } from './retry';
import { INDEX, TTL_ATTRIBUTE } from './schema';
import type { Review, UnitContact } from '../../contract/api';
import type {
  CampaignRecord,
  FormVersionRecord,
  PublishInput,
  ReviewTarget,
  CommitInput,
  CommitResult,
  CurrentPointer,
  FormState,
  IdempotencyRecord,
  Store,
  StoredRows,
  SubmissionHeader,
  SweepResult,
  TokenRecord,
  UnitRecord,
} from './types';

type Item = Record<string, AttributeValue>;

const S = (v: string): AttributeValue => ({ S: v });
const N = (v: number): AttributeValue => ({ N: String(v) });
const str = (item: Item, name: string): string => item[name]?.S ?? '';
const num = (item: Item, name: string): number => Number(item[name]?.N ?? 0);
const json = <T>(item: Item, name: string): T => JSON.parse(item[name]?.S ?? 'null') as T;

const chunkKey = (index: number): string => `ROWS#${String(index).padStart(5, '0')}`;
const key = (pk: string, sk: string): Item => ({ pk: S(pk), sk: S(sk) });

/** How long rows written for a submission that never commits stay (TTL `expiresAt`): lost races, crashes. */
export const UNCOMMITTED_ROWS_TTL_SECONDS = 2 * 86400;
/**
 * The commit clears `expiresAt` inside its TransactWriteItems, beside its own 4 actions, so only a leading run
 * of chunks within these budgets is written with it; later chunks of a larger submission never expire (if that
 * submission never commits, they stay, unreferenced). Limits: 100 actions and 4 MB of items per transaction.
 * Cost: clearing an attribute rewrites the whole item (an Update counts the item's full size, twice inside a
 * transaction), so the bytes budget stays at 1 MiB: about 4 chunks, the rows of ~3,600 附件1 rows of real text —
 * every chunk of a typical sheet; of a 10,000-row sheet (11 chunks, ~2.8 MB) the first 4, which keeps its
 * commit as fast as before. See functions/README.md.
 */
export const MAX_EXPIRING_CHUNKS = 90;
export const MAX_EXPIRING_BYTES = 1024 * 1024;

/** The sort key of a submission's pending marker (see sweepUncommitted). */
const PENDING = 'PENDING';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
}

/** Counts requests per command name; the benchmarks report them next to wall time. */
export function countRequests(client: DynamoDBClient): { total: () => number; byCommand: Record<string, number> } {
  const byCommand: Record<string, number> = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName ?? 'unknown');
      byCommand[name] = (byCommand[name] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'baosongRequestCounter' },
  );
  return { byCommand, total: () => Object.values(byCommand).reduce((a, b) => a + b, 0) };
}

export class DynamoStore implements Store {
  private readonly client: DynamoDBClient;
  private readonly table: string;

  private readonly parts: PartStore;

  constructor(opts: DynamoStoreOptions) {
    this.client = opts.client;
    this.table = opts.tableName;
    this.parts = new PartStore(opts.client, opts.tableName);
  }

  // ---- campaigns and units ------------------------------------------------------------------------------

  async listCampaigns(): Promise<CampaignRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': S('CAMPAIGNS'), ':p': S('CAMPAIGN#') },
    });
    return items.map(toCampaign);
  }

  async getCampaign(id: string): Promise<CampaignRecord | null> {
    const item = await this.get(key('CAMPAIGNS', `CAMPAIGN#${id}`));
    return item ? toCampaign(item) : null;
  }

  async listFormVersions(campaign: string): Promise<FormVersionRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': S(`CAMPAIGN#${campaign}`), ':p': S('FORM#') },
    });
    return items.map((item): FormVersionRecord => ({
      campaign,
      form: str(item, 'form'),
      version: num(item, 'version'),
      validFrom: str(item, 'validFrom'),
      spec: unpackJson(item.spec.B as Uint8Array),
      publishedAt: str(item, 'publishedAt'),
    }));
  }

  async publishCampaign({ campaign: c, newVersions }: PublishInput): Promise<boolean> {
    // Readers find form versions only through a campaign revision naming them, and both go in one transaction:
    // a reader sees the previous revision or the whole new one, never part of it.
    const versionPuts: TransactWriteItem[] = newVersions.map((v) => ({
      Put: {
        TableName: this.table,
        Item: {
          ...key(`CAMPAIGN#${v.campaign}`, `FORM#${v.form}#V#${String(v.version).padStart(5, '0')}`),
          form: S(v.form),
          version: N(v.version),
          validFrom: S(v.validFrom),
          spec: { B: packJson(v.spec) },
          publishedAt: S(v.publishedAt),
        },
        // Published versions are immutable: never overwritten, not even by an identical one.
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    }));
    const campaignPut: TransactWriteItem = {
      Put: {
        TableName: this.table,
        Item: {
          ...key('CAMPAIGNS', `CAMPAIGN#${c.id}`),
          id: S(c.id),
          revision: N(c.revision),
          publishedAt: S(c.publishedAt),
          forms: S(JSON.stringify(c.forms)),
          document: { B: packJson(c.document) },
        },
        ...(c.revision === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'revision = :previous',
              ExpressionAttributeValues: { ':previous': N(c.revision - 1) },
            }),
      },
    };
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: [campaignPut, ...versionPuts] }));
      return true;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons.includes('ConditionalCheckFailed') || reasons.includes('TransactionConflict')) return false;
      throw err;
    }
  }

  async getUnit(id: string): Promise<UnitRecord | null> {
    const item = await this.get(key('UNITS', `UNIT#${id}`));
    return item ? toUnit(item) : null;
  }

  async listUnits(): Promise<UnitRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': S('UNITS'), ':p': S('UNIT#') },
    });
    return items.map(toUnit).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  async createUnit(u: UnitRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...key('UNITS', `UNIT#${u.id}`),
            id: S(u.id),
            name: S(u.name),
            role: S(u.role),
            order: N(u.order),
            createdAt: S(u.createdAt),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  }

  // ---- tokens --------------------------------------------------------------------------------------------

  async putToken(t: TokenRecord): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          ...key(`TOKEN#${t.hash}`, 'TOKEN'),
          id: S(t.id),
          unit: S(t.unit),
          role: S(t.role),
          createdAt: S(t.createdAt),
          revoked: { BOOL: t.revoked },
          gsi1pk: S('TOKENS'),
          gsi1sk: S(t.id),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getTokenByHash(hash: string): Promise<TokenRecord | null> {
    const item = await this.get(key(`TOKEN#${hash}`, 'TOKEN'));
    return item ? toToken(item) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': S('TOKENS') },
    });
    return items.map(toToken);
  }

  async revokeToken(id: string): Promise<boolean> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
      ExpressionAttributeValues: { ':pk': S('TOKENS'), ':id': S(id) },
    });
    for (const item of items) {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: { pk: item.pk, sk: item.sk },
          UpdateExpression: 'SET revoked = :t',
          ExpressionAttributeValues: { ':t': { BOOL: true } },
        }),
      );
    }
    return items.length > 0;
  }

  // ---- submissions ---------------------------------------------------------------------------------------

  async getIdempotency(scope: string, idemKey: string): Promise<IdempotencyRecord | null> {
    const item = await this.get(key(`IDEM#${scope}#${idemKey}`, 'IDEM'));
    return item ? { submissionId: str(item, 'submissionId'), bodyHash: str(item, 'bodyHash') } : null;
  }

  async getFormState(unit: string, campaign: string, form: FormId): Promise<FormState> {
    const item = await this.get(key(`UNIT#${unit}`, `FORM#${campaign}#${form}`));
    return { latestId: item?.latestId?.S ?? null, firstId: item?.firstId?.S ?? null };
  }

  async getPointer(unit: string, campaign: string, form: FormId, round: string): Promise<CurrentPointer | null> {
    const item = await this.get(key(`UNIT#${unit}`, `CUR#${campaign}#${form}#${round}`));
    return item ? toPointer(item) : null;
  }

  async listPointers(unit: string, campaign?: string): Promise<CurrentPointer[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: {
        ':pk': S(`UNIT#${unit}`),
        ':p': S(campaign === undefined ? 'CUR#' : `CUR#${campaign}#`),
      },
    });
    return items.map(toPointer);
  }

  async listPointersUpTo(campaign: string, round: string): Promise<CurrentPointer[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :end',
      ExpressionAttributeValues: { ':pk': S(`CURRENT#${campaign}`), ':end': S(`${round}#~`) },
    });
    return items.map(toPointer);
  }

  async putRows(id: string, rows: unknown[]): Promise<StoredRows> {
    // Each slice starts compressing as soon as it is cut (thread pool); chunks are numbered in slice order and
    // written as soon as every earlier slice is packed, while later ones still compress: up to 4 BatchWriteItem
    // calls in flight, each taking every chunk ready by then (≤ 25).
    const packs = packRows(rows).map((chunks) => {
      const pack: { done: boolean; chunks: Promise<Chunk[]> } = { done: false, chunks };
      pack.chunks.then(
        () => (pack.done = true),
        () => {},
      );
      return pack;
    });
    // DynamoDB compares TTL with its own clock, so this is wall-clock time, not the context's (injected) one.
    const expiresAt = N(Math.floor(Date.now() / 1000) + UNCOMMITTED_ROWS_TTL_SECONDS);
    // The pending marker goes in before any chunk (while the first slice compresses): every chunk that exists
    // without a HEAD has a marker that the sweep finds, whatever the size of the submission.
    const startedAt = new Date().toISOString();
    const marked = this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          ...key(`SUB#${id}`, PENDING),
          startedAt: S(startedAt),
          gsi1pk: S(PENDING),
          gsi1sk: S(`${startedAt}#${id}`),
        },
      }),
    );
    const counts: number[] = [];
    let bytes = 0;
    let stored = 0;
    let expiringChunks = 0;
    const queue: WriteRequest[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const pump = (): void => {
      while (inFlight.size < 4 && queue.length > 0 && failure === undefined) {
        const call: Promise<void> = this.batchWrite(queue.splice(0, 25))
          .catch((err: unknown) => void (failure ??= err))
          .finally(() => {
            inFlight.delete(call);
            pump();
          });
        inFlight.add(call);
      }
    };
    try {
      await marked;
      for (let next = 0; next < packs.length;) {
        // The next slice in order, then every following one already packed.
        do {
          for (const c of await packs[next].chunks) {
            const index = counts.length;
            counts.push(c.count);
            bytes += c.bytes;
            stored += c.data.byteLength;
            // Expiring chunks are a prefix (0 … expiringChunks-1): the commit's transaction clears exactly those.
            const expiring = expiringChunks === index && index < MAX_EXPIRING_CHUNKS && stored <= MAX_EXPIRING_BYTES;
            if (expiring) expiringChunks++;
            queue.push({
              PutRequest: {
                Item: {
                  ...key(`SUB#${id}`, chunkKey(index)),
                  data: { B: c.data },
                  count: N(c.count),
                  ...(expiring ? { [TTL_ATTRIBUTE]: expiresAt } : {}),
                },
              },
            });
          }
          next++;
        } while (next < packs.length && packs[next].done);
        pump();
      }
    } finally {
      // Also when a slice failed to pack: no write keeps running after we return.
      while (inFlight.size > 0) await Promise.all(inFlight);
    }
    if (failure !== undefined) throw failure;
    return { chunks: counts, bytes, expiringChunks };
  }

  /** BatchWriteItem until nothing is left unprocessed (DynamoDB may accept only part of a batch). */
  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    let pending = requests;
    for (let attempt = 0; pending.length > 0; attempt++) {
      // Unprocessed items mean throttling: back off within the request's deadline (then 503, see retry.ts).
      if (attempt > 0) await pauseBeforeRetry(attempt);
      if (attempt > 12) throw new Error('BatchWriteItem kept leaving unprocessed items');
      const out = await this.client.send(new BatchWriteItemCommand({ RequestItems: { [this.table]: pending } }));
      pending = out.UnprocessedItems?.[this.table] ?? [];
    }
  }

  async commit(input: CommitInput): Promise<CommitResult> {
    const h = input.header;
    const headerItem: Item = {
      ...key(`SUB#${h.id}`, 'HEAD'),
      id: S(h.id),
      unit: S(h.unit),
      campaign: S(h.campaign),
      form: S(h.form),
      formVersion: N(h.formVersion),
      round: S(h.round),
      version: N(h.version),
      rowCount: N(h.rowCount),
      late: { BOOL: h.late },
      submittedAt: S(h.submittedAt),
      asOf: S(h.asOf),
      contact: S(JSON.stringify(h.contact)),
      chunks: S(JSON.stringify(h.chunks)),
      bytes: N(h.bytes),
      tokenId: S(h.tokenId),
      summary: S(JSON.stringify(h.summary)),
      receipt: { B: packJson(h.receipt) },
      gsi1pk: S(`HIST#${h.unit}`),
      gsi1sk: S(`${h.submittedAt}#${h.id}`),
      ...(h.basedOn ? { basedOn: S(h.basedOn) } : {}),
    };
    const expect = (
      attr: string,
      value: string | null,
    ): { ConditionExpression: string; ExpressionAttributeValues?: Item } =>
      value === null
        ? { ConditionExpression: `attribute_not_exists(${attr})` }
        : { ConditionExpression: `${attr} = :expected`, ExpressionAttributeValues: { ':expected': S(value) } };
    const cur = expect('currentId', input.expectedCurrentId);
    const latest = expect('latestId', input.expectedLatestId);
    // The rows become permanent with the header, atomically: a committed submission never loses a chunk to TTL.
    const keepRows: TransactWriteItem[] = Array.from({ length: input.expiringChunks }, (_none, i) => ({
      Update: {
        TableName: this.table,
        Key: key(`SUB#${h.id}`, chunkKey(i)),
        UpdateExpression: `REMOVE ${TTL_ATTRIBUTE}`,
        ConditionExpression: 'attribute_exists(pk)',
      },
    }));
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: headerItem, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: this.table,
                Key: key(`UNIT#${h.unit}`, `CUR#${h.campaign}#${h.form}#${h.round}`),
                UpdateExpression:
                  // A new submission clears the review of the one it replaces (已退回 → 待审核).
                  'SET currentId = :id, version = :v, submittedAt = :at, late = :late, contactName = :cn, rowCount = :rc, #bytes = :bytes, summary = :sum, unitId = :u, campaign = :c, form = :f, round = :r, gsi1pk = :gp, gsi1sk = :gs REMOVE review',
                ConditionExpression: cur.ConditionExpression,
                ExpressionAttributeNames: { '#bytes': 'bytes' },
                ExpressionAttributeValues: {
                  ...cur.ExpressionAttributeValues,
                  ':id': S(h.id),
                  ':v': N(h.version),
                  ':at': S(h.submittedAt),
                  ':late': { BOOL: h.late },
                  ':cn': S(h.contact.name),
                  ':rc': N(h.rowCount),
                  ':bytes': N(h.bytes),
                  ':sum': S(JSON.stringify(h.summary)),
                  ':u': S(h.unit),
                  ':c': S(h.campaign),
                  ':f': S(h.form),
                  ':r': S(h.round),
                  ':gp': S(`CURRENT#${h.campaign}`),
                  ':gs': S(`${h.round}#${h.form}#${h.unit}`),
                },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: key(`UNIT#${h.unit}`, `FORM#${h.campaign}#${h.form}`),
                // The first accepted submission is fixed once: frozen columns are compared against it.
                UpdateExpression: 'SET latestId = :id, firstId = if_not_exists(firstId, :id)',
                ConditionExpression: latest.ConditionExpression,
                ExpressionAttributeValues: { ...latest.ExpressionAttributeValues, ':id': S(h.id) },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...key(`IDEM#${input.idempotency.scope}#${input.idempotency.key}`, 'IDEM'),
                  submissionId: S(h.id),
                  bodyHash: S(input.idempotency.bodyHash),
                  createdAt: S(h.submittedAt),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // Gone or being swept: the rows may be half deleted, so this submission must not commit.
              Delete: {
                TableName: this.table,
                Key: key(`SUB#${h.id}`, PENDING),
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(sweeping)',
              },
            },
            ...keepRows,
          ],
        }),
      );
      return { ok: true };
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons[3] === 'ConditionalCheckFailed') return { ok: false, reason: 'idempotency' };
      if (reasons[1] === 'ConditionalCheckFailed') return { ok: false, reason: 'current' };
      if (reasons[2] === 'ConditionalCheckFailed') return { ok: false, reason: 'latest' };
      // A chunk is gone (expired or deleted): committing would publish a submission with missing rows.
      if (reasons.slice(4).includes('ConditionalCheckFailed'))
        throw new Error(`rows of submission ${h.id} are missing; not committed`, { cause: err });
      // TransactionConflict (another transaction on the same items) or throttling: nothing written, try again.
      return { ok: false, reason: 'conflict' };
    }
  }

  async sweepUncommitted(startedBefore: Date, limit = 25): Promise<SweepResult> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.name,
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
        ExpressionAttributeValues: { ':p': S(PENDING), ':before': S(startedBefore.toISOString()) },
        Limit: limit,
      }),
    );
    const result: SweepResult = { submissions: 0, chunks: 0 };
    for (const marker of out.Items ?? []) {
      const pk = str(marker, 'pk');
      try {
        // From here on the commit cannot succeed (its Delete requires no `sweeping`); a commit that came first
        // deleted the marker, and this fails instead.
        await this.client.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: key(pk, PENDING),
            UpdateExpression: 'SET sweeping = :t',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':t': { BOOL: true } },
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) continue;
        throw err;
      }
      const chunks = await this.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rows)',
        ExpressionAttributeValues: { ':pk': S(pk), ':rows': S('ROWS#') },
        ProjectionExpression: 'pk, sk',
      });
      // Chunks first, the marker last: a sweep that dies half way leaves the marker for the next one.
      const deletes: WriteRequest[] = chunks.map((c) => ({ DeleteRequest: { Key: key(pk, str(c, 'sk')) } }));
      for (let i = 0; i < deletes.length; i += 25) await this.batchWrite(deletes.slice(i, i + 25));
      await this.batchWrite([{ DeleteRequest: { Key: key(pk, PENDING) } }]);
      result.submissions++;
      result.chunks += chunks.length;
    }
    return result;
  }

  async putPart(scope: string, key: string, part: number, json: Buffer): Promise<string> {
    return this.parts.put(scope, key, part, json);
  }

  async getParts(scope: string, key: string): Promise<Map<number, StoredPart>> {
    return this.parts.all(scope, key);
  }

  async getHeader(id: string): Promise<SubmissionHeader | null> {
    const item = await this.get(key(`SUB#${id}`, 'HEAD'));
    if (!item) return null;
    return { ...toHeader(item), receipt: unpackJson(item.receipt.B as Uint8Array) };
  }

  async getRows(id: string, fromChunk = 0, toChunk?: number): Promise<unknown[]> {
    return (await this.getRowLines(id, fromChunk, toChunk)).map((line) => JSON.parse(line));
  }

  async getRowLines(id: string, fromChunk = 0, toChunk?: number): Promise<string[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: {
        ':pk': S(`SUB#${id}`),
        ':a': S(chunkKey(fromChunk)),
        ':b': S(toChunk === undefined ? 'ROWS#~' : chunkKey(toChunk - 1)),
      },
    });
    return items.flatMap((item) => chunkLines(item.data.B as Uint8Array));
  }

  async listHeaders(unit: string): Promise<Omit<SubmissionHeader, 'receipt'>[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': S(`HIST#${unit}`) },
      ScanIndexForward: false,
    });
    return items.map(toHeader);
  }

  // ---- reviews -------------------------------------------------------------------------------------------

  async putReview(review: Review, target: ReviewTarget): Promise<boolean> {
    const packed = S(JSON.stringify(review));
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...key(`SUB#${review.submissionId}`, `REVIEW#${review.at}#${randomBytes(6).toString('hex')}`),
                  review: packed,
                  gsi1pk: S(`REVIEWS#${target.unit}`),
                  gsi1sk: S(`${review.at}#${review.submissionId}`),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              // Only while it is still the unit's current submission: a review of a replaced one is refused.
              Update: {
                TableName: this.table,
                Key: key(`UNIT#${target.unit}`, `CUR#${target.campaign}#${target.form}#${target.round}`),
                UpdateExpression: 'SET review = :r',
                ConditionExpression: 'currentId = :id',
                ExpressionAttributeValues: { ':r': packed, ':id': S(review.submissionId) },
              },
            },
          ],
        }),
      );
      return true;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons[1] === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  async listReviews(unit: string): Promise<Review[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': S(`REVIEWS#${unit}`) },
    });
    return items.map((item) => json<Review>(item, 'review'));
  }

  async listSubmissionReviews(id: string): Promise<Review[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': S(`SUB#${id}`), ':p': S('REVIEW#') },
    });
    return items.map((item) => json<Review>(item, 'review'));
  }

  // ---- contacts ------------------------------------------------------------------------------------------

  async putContact(unit: string, contact: UnitContact): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: {
          ...key(`UNIT#${unit}`, 'CONTACT'),
          contact: S(JSON.stringify(contact)),
          gsi1pk: S('CONTACTS'),
          gsi1sk: S(unit),
        },
      }),
    );
  }

  async getContact(unit: string): Promise<UnitContact | null> {
    const item = await this.get(key(`UNIT#${unit}`, 'CONTACT'));
    return item ? json<UnitContact>(item, 'contact') : null;
  }

  async listContacts(): Promise<Map<string, UnitContact>> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': S('CONTACTS') },
    });
    return new Map(items.map((item) => [str(item, 'gsi1sk'), json<UnitContact>(item, 'contact')]));
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private async get(k: Item): Promise<Item | null> {
    const out = await this.client.send(new GetItemCommand({ TableName: this.table, Key: k, ConsistentRead: true }));
    return out.Item ?? null;
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({
          ...input,
          TableName: this.table,
          ExclusiveStartKey: start,
          ConsistentRead: input.IndexName ? undefined : true,
        }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

function toUnit(item: Item): UnitRecord {
  return {
    id: str(item, 'id'),
    name: str(item, 'name'),
    role: str(item, 'role') as UnitRecord['role'],
    order: num(item, 'order'),
    createdAt: str(item, 'createdAt'),
  };
}

function toToken(item: Item): TokenRecord {
  return {
    id: str(item, 'id'),
    hash: str(item, 'pk').slice('TOKEN#'.length),
    unit: str(item, 'unit'),
    role: str(item, 'role') as TokenRecord['role'],
    createdAt: str(item, 'createdAt'),
    revoked: item.revoked?.BOOL === true,
  };
}

function toCampaign(item: Item): CampaignRecord {
  return {
    id: str(item, 'id'),
    document: unpackJson(item.document.B as Uint8Array),
    revision: num(item, 'revision'),
    publishedAt: str(item, 'publishedAt'),
    forms: json(item, 'forms'),
  };
}

function toPointer(item: Item): CurrentPointer {
  return {
    unit: str(item, 'unitId'),
    campaign: str(item, 'campaign'),
    form: str(item, 'form') as FormId,
    round: str(item, 'round'),
    currentId: str(item, 'currentId'),
    version: num(item, 'version'),
    submittedAt: str(item, 'submittedAt'),
    late: item.late?.BOOL === true,
    contactName: str(item, 'contactName'),
    rowCount: num(item, 'rowCount'),
    bytes: num(item, 'bytes'),
    summary: json(item, 'summary') ?? {},
    review: json<Review | null>(item, 'review'),
  };
}

function toHeader(item: Item): Omit<SubmissionHeader, 'receipt'> {
  return {
    id: str(item, 'id'),
    unit: str(item, 'unit'),
    campaign: str(item, 'campaign'),
    form: str(item, 'form') as FormId,
    formVersion: num(item, 'formVersion'),
    round: str(item, 'round'),
    version: num(item, 'version'),
    rowCount: num(item, 'rowCount'),
    late: item.late?.BOOL === true,
    submittedAt: str(item, 'submittedAt'),
    asOf: str(item, 'asOf'),
    contact: json(item, 'contact'),
    basedOn: item.basedOn?.S ?? null,
    chunks: json(item, 'chunks'),
    bytes: num(item, 'bytes'),
    tokenId: str(item, 'tokenId'),
    summary: json(item, 'summary') ?? {},
  };
}
