// The DynamoDB implementation of Store: one table, keys below, on-demand billing. See functions/README.md.
//
//   pk                      sk                     what
//   CAMPAIGNS               CAMPAIGN#<id>          a published campaign: its document, gzip JSON (one Query lists all)
//   CAMPAIGN#<id>           FORM#<form>#V#<00001>  an immutable form version (written with the campaign revision
//                                                  naming it, in one transaction)
//   UNITS                   UNIT#<id>              a unit (one Query lists them all)
//   UNLISTED                UNIT#<id>              a copy of a unit that may be listed by no campaign (created outside
//                                                  a document, or dropped by one): boards read these, not UNITS
//   UNLISTED                #COMPLETE              the index above covers the table (written by each publication)
//   TOKEN#<sha256>          TOKEN                  a token (gsi1: TOKENS / <token id>)
//   SUB#<id>                HEAD                   a committed submission (gsi1: HIST#<unit> / <submittedAt>#<id>)
//   SUB#<id>#<00000>        ROWS#<00000>           its rows, gzip JSON chunks (written before HEAD with expiresAt;
//                                                  the commit removes it, so only chunks never committed expire).
//                                                  One partition key per chunk: a 10,000-row sheet writes ~3 MB
//                                                  in a second, which one key (1,000 WCU/s) could not take
//   SUB#<id>                PENDING                written before the first chunk, deleted by the commit: rows of a
//                                                  submission that never commits are found and swept by it
//                                                  (gsi1: PENDING / <startedAt>#<id>)
//   UNIT#<unit>             CUR#<campaign>#<form>#<round>   the current submission of that form and round
//                                                  `review`: its newest review, removed by the next commit
//   UNIT#<unit>             FORM#<campaign>#<form> latest and first accepted submission of that form, and a copy
//                                                  of the pointer of its newest round (gsi1: LATEST#<campaign> /
//                                                  <form>#<unit>: carry-forward reads one item per unit and form)
//   UNIT#<unit>             IN#<campaign>          the unit is listed by that campaign (written on publishing; an
//                                                  index: the campaign's document decides): a request reads only
//                                                  its own unit's campaigns, not every prefecture's
//   UNIT#<unit>             CONTACT                the unit's registered contact (gsi1: CONTACTS / <unit>)
//   SUB#<id>                REVIEW#<at>#<random>   a review of the submission, kept for good
//                                                  (gsi1: REVIEWS#<unit> / <at>#<id>)
//   SUB#<id>                REVIEWKEY#<unit>#<key> a review request's Idempotency-Key, with its review and body hash
//   IDEM#<scope>#<key>      IDEM                   an Idempotency-Key already used
//   UPLOAD#<scope>#<key>#<nnn>#<ss>  PART      a slice of a part of a submission sent in parts (parts.ts; expiresAt)
import { randomBytes } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { UNIT_ROLES } from '../../forms/campaign/schema';
import type { FormId } from '../../forms/types';
import {
  chunkBytes,
  chunkRows,
  packJson,
  packRows,
  packRowTexts,
  parseChunks,
  type Chunk,
  type PackedRows,
  type RowTexts,
} from './codec';
import { DynamoCallbackStore, type CallbackStore } from './callbacks';
import { bytes, itemReader, jsonText, key, orNull, packedJson, type Item, type Key } from './items';
import { PartStore, type StoredPart } from './parts';
import { mapLimit } from './retry';
import { INDEX, TTL_ATTRIBUTE } from './schema';
import { batchGetAll, batchWriteAll, documentClient, getItem, queryAll, type WriteRequest } from './table-io';
import type { Review, Role, UnitContact } from '../../contract/api';
import type {
  CampaignRecord,
  ChunkRef,
  FormVersionRecord,
  PublishInput,
  ReviewRequestKey,
  ReviewTarget,
  StoredReviewRequest,
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

const chunkKey = (index: number): string => `ROWS#${String(index).padStart(5, '0')}`;
const reviewRequestKey = (submissionId: string, r: Omit<ReviewRequestKey, 'bodyHash'>): Key =>
  key(`SUB#${submissionId}`, `REVIEWKEY#${r.scope}#${r.key}`);
/** Each chunk under a partition key of its own (see the key table). */
export const chunkItemKey = (id: string, index: number): Key =>
  key(`SUB#${id}#${String(index).padStart(5, '0')}`, chunkKey(index));
/** Chunk numbers written at once, at most (4 BatchWriteItem calls of 25): a crash leaves no gap wider. */
const CHUNKS_IN_FLIGHT = 100;
/** BatchWriteItem calls of one submission's chunks at once. */
const WRITES_IN_FLIGHT = 4;

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
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;

  private readonly parts: PartStore;
  readonly callbacks: CallbackStore;
  /** Per campaign: its form versions as read at one revision (listFormVersions). */
  private readonly formVersionsAt = new Map<string, { revision: number; versions: Promise<FormVersionRecord[]> }>();

  constructor(opts: DynamoStoreOptions) {
    this.doc = documentClient(opts.client);
    this.table = opts.tableName;
    this.parts = new PartStore(this.doc, opts.tableName);
    this.callbacks = new DynamoCallbackStore(this.doc, opts.tableName);
  }

  // ---- campaigns and units ------------------------------------------------------------------------------

  async listCampaigns(): Promise<CampaignRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': 'CAMPAIGNS', ':p': 'CAMPAIGN#' },
    });
    return items.map(readCampaign);
  }

  async listCampaignsOf(unit: string): Promise<CampaignRecord[] | null> {
    const entries = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `UNIT#${unit}`, ':p': 'IN#' },
    });
    if (entries.length === 0) return null;
    const found = await mapLimit(entries, 8, (e) => this.getCampaign(readListing(e).campaign));
    return found.filter((c): c is CampaignRecord => c !== null);
  }

  async getCampaign(id: string): Promise<CampaignRecord | null> {
    const item = await this.get(key('CAMPAIGNS', `CAMPAIGN#${id}`));
    return item ? readCampaign(item) : null;
  }

  async listFormVersions(campaign: string, revision?: number): Promise<FormVersionRecord[]> {
    if (revision === undefined) return this.queryFormVersions(campaign);
    // A revision's versions never change (published once, in the revision's own transaction), so they are read
    // once per revision: every submit and every page of a pull asks for them.
    const seen = this.formVersionsAt.get(campaign);
    if (seen?.revision === revision) return seen.versions;
    const versions = this.queryFormVersions(campaign);
    this.formVersionsAt.set(campaign, { revision, versions });
    versions.catch(() => {
      if (this.formVersionsAt.get(campaign)?.versions === versions) this.formVersionsAt.delete(campaign);
    });
    return versions;
  }

  private async queryFormVersions(campaign: string): Promise<FormVersionRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `CAMPAIGN#${campaign}`, ':p': 'FORM#' },
    });
    return items.map((item): FormVersionRecord => ({ campaign, ...readFormVersion(item) }));
  }

  async publishCampaign({ campaign: c, newVersions }: PublishInput): Promise<boolean> {
    // Readers find form versions only through a campaign revision naming them, and both go in one transaction:
    // a reader sees the previous revision or the whole new one, never part of it.
    const versionPuts: TransactWriteItem[] = newVersions.map((v) => ({
      Put: {
        TableName: this.table,
        Item: {
          ...key(`CAMPAIGN#${v.campaign}`, `FORM#${v.form}#V#${String(v.version).padStart(5, '0')}`),
          form: v.form,
          version: v.version,
          validFrom: v.validFrom,
          spec: packJson(v.spec),
          publishedAt: v.publishedAt,
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
          id: c.id,
          revision: c.revision,
          publishedAt: c.publishedAt,
          forms: JSON.stringify(c.forms),
          document: packJson(c.document),
        },
        ...(c.revision === 1
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'revision = :previous',
              ExpressionAttributeValues: { ':previous': c.revision - 1 },
            }),
      },
    };
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [campaignPut, ...versionPuts] }));
      // After the revision, outside its transaction (a province-wide document lists more units than a transaction
      // takes actions): an entry for a unit the document dropped stays and is filtered out by readers.
      await mapLimit(c.document.units, 8, (u) =>
        this.doc.send(
          new PutCommand({
            TableName: this.table,
            Item: { ...key(`UNIT#${u.id}`, `IN#${c.id}`), campaign: c.id },
          }),
        ),
      );
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
    return item ? readUnit(item) : null;
  }

  async getUnits(ids: readonly string[]): Promise<(UnitRecord | null)[]> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      ids.map((id) => key('UNITS', `UNIT#${id}`)),
    );
    return items.map((item) => (item ? readUnit(item) : null));
  }

  async listUnits(): Promise<UnitRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': 'UNITS', ':p': 'UNIT#' },
    });
    return items.map(readUnit).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  async createUnit(u: UnitRecord, opts: { listed?: boolean } = {}): Promise<boolean> {
    const put: TransactWriteItem = {
      Put: { TableName: this.table, Item: unitItem('UNITS', u), ConditionExpression: 'attribute_not_exists(pk)' },
    };
    // A unit no document lists yet joins the UNLISTED index with it, atomically: no board can miss it.
    const indexed: TransactWriteItem[] = opts.listed
      ? []
      : [{ Put: { TableName: this.table, Item: unitItem(UNLISTED, u) } }];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [put, ...indexed] }));
      return true;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      if ((err.CancellationReasons ?? [])[0]?.Code === 'ConditionalCheckFailed') return false;
      throw err;
    }
  }

  async listUnlistedUnits(): Promise<UnitRecord[] | null> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': UNLISTED },
    });
    if (!items.some((i) => i.sk === UNLISTED_COMPLETE)) return null;
    return items
      .filter((i) => i.sk !== UNLISTED_COMPLETE)
      .map(readUnit)
      .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  }

  async indexUnlisted(units: readonly UnitRecord[]): Promise<void> {
    await mapLimit(units, 8, (u) =>
      this.doc.send(new PutCommand({ TableName: this.table, Item: unitItem(UNLISTED, u) })),
    );
    await this.doc.send(new PutCommand({ TableName: this.table, Item: key(UNLISTED, UNLISTED_COMPLETE) }));
  }

  // ---- tokens --------------------------------------------------------------------------------------------

  async putToken(t: TokenRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(`TOKEN#${t.hash}`, 'TOKEN'),
          id: t.id,
          unit: t.unit,
          role: t.role,
          createdAt: t.createdAt,
          revoked: t.revoked,
          gsi1pk: 'TOKENS',
          gsi1sk: t.id,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getTokenByHash(hash: string): Promise<TokenRecord | null> {
    const item = await this.get(key(`TOKEN#${hash}`, 'TOKEN'));
    return item ? readToken(item) : null;
  }

  async listTokens(): Promise<TokenRecord[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'TOKENS' },
    });
    return items.map(readToken);
  }

  async revokeToken(id: string): Promise<boolean> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
      ExpressionAttributeValues: { ':pk': 'TOKENS', ':id': id },
    });
    for (const item of items) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: readKey(item),
          UpdateExpression: 'SET revoked = :t',
          ExpressionAttributeValues: { ':t': true },
        }),
      );
    }
    return items.length > 0;
  }

  // ---- submissions ---------------------------------------------------------------------------------------

  async getIdempotency(scope: string, idemKey: string): Promise<IdempotencyRecord | null> {
    const item = await this.get(key(`IDEM#${scope}#${idemKey}`, 'IDEM'));
    return item ? readIdempotency(item) : null;
  }

  async getFormState(unit: string, campaign: string, form: FormId): Promise<FormState> {
    const item = await this.get(key(`UNIT#${unit}`, `FORM#${campaign}#${form}`));
    if (!item) return { latestId: null, firstId: null, topRound: null };
    const { latestId, firstId, topRound } = readFormState(item);
    return { latestId, firstId, topRound };
  }

  async getPointer(unit: string, campaign: string, form: FormId, round: string): Promise<CurrentPointer | null> {
    const item = await this.get(key(`UNIT#${unit}`, `CUR#${campaign}#${form}#${round}`));
    return item ? readPointer(item) : null;
  }

  async listPointers(unit: string, campaign?: string): Promise<CurrentPointer[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: {
        ':pk': `UNIT#${unit}`,
        ':p': campaign === undefined ? 'CUR#' : `CUR#${campaign}#`,
      },
    });
    return items.map(readPointer);
  }

  async listTopPointers(campaign: string): Promise<CurrentPointer[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `LATEST#${campaign}` },
    });
    return items.map(readPointer);
  }

  async pointerAtOrBefore(unit: string, campaign: string, form: FormId, round: string): Promise<CurrentPointer | null> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: {
          ':pk': `UNIT#${unit}`,
          ':a': `CUR#${campaign}#${form}#`,
          ':b': `CUR#${campaign}#${form}#${round}`,
        },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? readPointer(item) : null;
  }

  packRowTexts(texts: RowTexts): PackedRows {
    return packRowTexts(texts);
  }

  async putRows(id: string, rows: unknown[] | PackedRows): Promise<StoredRows> {
    // DynamoDB compares TTL with its own clock, so this is wall-clock time, not the context's (injected) one.
    const expiresAt = Math.floor(Date.now() / 1000) + UNCOMMITTED_ROWS_TTL_SECONDS;
    // The pending marker goes in first, while rows are cut and compressed: every chunk that exists without a HEAD
    // has a marker that the sweep finds, whatever the size of the submission.
    const startedAt = new Date().toISOString();
    let marked = false;
    const marker = this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(`SUB#${id}`, PENDING),
          startedAt,
          gsi1pk: PENDING,
          gsi1sk: `${startedAt}#${id}`,
        },
      }),
    );
    // Each slice compresses on the thread pool as soon as it is cut (codec.ts). Chunks are numbered in slice
    // order, queued once every earlier slice is, and written after the marker: up to 4 BatchWriteItem calls in
    // flight, each taking its share of the chunks queued by then (≤ 25).
    const slices: (Chunk[] | undefined)[] = [];
    const counts: number[] = [];
    let bytes = 0;
    let stored = 0;
    let expiringChunks = 0;
    const queue: WriteRequest[] = [];
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const fail = (err: unknown): void => void (failure ??= err);
    const pump = (): void => {
      while (marked && inFlight.size < WRITES_IN_FLIGHT && queue.length > 0 && failure === undefined) {
        // Chunks queued together are spread over the free calls: DynamoDB works on the calls side by side.
        const take = Math.min(25, Math.ceil(queue.length / (WRITES_IN_FLIGHT - inFlight.size)));
        const call: Promise<void> = this.batchWrite(queue.splice(0, take))
          .catch(fail)
          .finally(() => {
            inFlight.delete(call);
            pump();
          });
        inFlight.add(call);
      }
    };
    let queuedSlices = 0;
    const queueInOrder = (): void => {
      for (; queuedSlices < slices.length && slices[queuedSlices] !== undefined; queuedSlices++) {
        for (const c of slices[queuedSlices]!) {
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
                ...chunkItemKey(id, index),
                data: c.data,
                count: c.count,
                ...(expiring ? { [TTL_ATTRIBUTE]: expiresAt } : {}),
              },
            },
          });
        }
      }
      pump();
    };
    const packed: Promise<void>[] = [
      marker.then(() => {
        marked = true;
        pump();
      }, fail),
    ];
    try {
      const onSlice = (chunks: Promise<Chunk[]>): void => {
        const at = slices.push(undefined) - 1;
        packed.push(
          chunks.then((c) => {
            slices[at] = c;
            queueInOrder();
          }, fail),
        );
      };
      if (Array.isArray(rows)) await packRows(rows, onSlice);
      else rows.slices.forEach(onSlice);
    } catch (err) {
      fail(err);
    } finally {
      // Also when a slice failed to pack: no write keeps running after we return.
      await Promise.all(packed);
      while (inFlight.size > 0) await Promise.all(inFlight);
    }
    if (failure !== undefined) throw failure;
    return { chunks: counts, bytes, expiringChunks };
  }

  private batchWrite(requests: WriteRequest[]): Promise<void> {
    return batchWriteAll(this.doc, this.table, requests);
  }

  /**
   * Bulk load of committed submissions (benchmarks, migrations): each one's row chunks (when `rows` are given),
   * header and current pointer, and per unit and form the newest round's top pointer, by BatchWriteItem without
   * conditions. Not for live traffic: it checks nothing a commit checks, and the submissions must be complete.
   */
  async importCommitted(subs: readonly { header: SubmissionHeader; rows?: unknown[] }[]): Promise<void> {
    const puts: Item[] = [];
    const tops = new Map<string, { first: SubmissionHeader; top: SubmissionHeader }>();
    for (const { header: given, rows } of subs) {
      let h = given;
      if (rows) {
        const chunks = await chunkRows(rows);
        h = { ...h, chunks: chunks.map((c) => c.count), bytes: chunks.reduce((n, c) => n + c.bytes, 0) };
        chunks.forEach((c, i) => puts.push({ ...chunkItemKey(h.id, i), data: c.data, count: c.count }));
      }
      puts.push(headerItem(h), {
        ...key(`UNIT#${h.unit}`, `CUR#${h.campaign}#${h.form}#${h.round}`),
        ...pointerAttributes(h),
      });
      const slot = `${h.unit}#${h.campaign}#${h.form}`;
      const seen = tops.get(slot);
      tops.set(slot, {
        first: seen && seen.first.round <= h.round ? seen.first : h,
        top: seen && seen.top.round >= h.round ? seen.top : h,
      });
    }
    for (const { first, top } of tops.values()) {
      const index = topIndex(top);
      puts.push({
        ...key(`UNIT#${top.unit}`, `FORM#${top.campaign}#${top.form}`),
        latestId: top.id,
        firstId: first.id,
        ...pointerAttributes(top),
        gsi1pk: index[':tp'],
        gsi1sk: index[':ts'],
      });
    }
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < puts.length; i += 25)
      batches.push(puts.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })));
    await mapLimit(batches, 8, (batch) => this.batchWrite(batch));
  }

  async commit(input: CommitInput): Promise<CommitResult> {
    const h = input.header;
    const header = headerItem(h);
    const expect = (
      attr: string,
      value: string | null,
    ): { ConditionExpression: string; ExpressionAttributeValues?: Item } =>
      value === null
        ? { ConditionExpression: `attribute_not_exists(${attr})` }
        : { ConditionExpression: `${attr} = :expected`, ExpressionAttributeValues: { ':expected': value } };
    const cur = expect('currentId', input.expectedCurrentId);
    const pointer = pointerAttributes(h);
    // `SET #a = :a, …` of the pointer's attributes (names too: `bytes` is a reserved word).
    const pointerSet = Object.keys(pointer)
      .map((a) => `#${a} = :${a}`)
      .join(', ');
    const pointerNames = Object.fromEntries(Object.keys(pointer).map((a) => [`#${a}`, a]));
    const pointerValues: Item = Object.fromEntries(Object.entries(pointer).map(([a, v]) => [`:${a}`, v]));
    const latest = expect('latestId', input.expectedLatestId);
    // The rows become permanent with the header, atomically: a committed submission never loses a chunk to TTL.
    const keepRows: TransactWriteItem[] = Array.from({ length: input.expiringChunks }, (_none, i) => ({
      Update: {
        TableName: this.table,
        Key: chunkItemKey(h.id, i),
        UpdateExpression: `REMOVE ${TTL_ATTRIBUTE}`,
        ConditionExpression: 'attribute_exists(pk)',
      },
    }));
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.table, Item: header, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Update: {
                TableName: this.table,
                Key: key(`UNIT#${h.unit}`, `CUR#${h.campaign}#${h.form}#${h.round}`),
                // A new submission clears the review of the one it replaces (已退回 → 待审核).
                UpdateExpression: `SET ${pointerSet} REMOVE review`,
                ConditionExpression: cur.ConditionExpression,
                ExpressionAttributeNames: pointerNames,
                ExpressionAttributeValues: { ...cur.ExpressionAttributeValues, ...pointerValues },
              },
            },
            {
              Update: {
                TableName: this.table,
                Key: key(`UNIT#${h.unit}`, `FORM#${h.campaign}#${h.form}`),
                // The first accepted submission is fixed once: frozen columns are compared against it. A submission
                // for the newest round so far also becomes the unit's top pointer (LATEST# on gsi1).
                UpdateExpression: input.raisesTop
                  ? `SET latestId = :latestId, firstId = if_not_exists(firstId, :latestId), ${pointerSet}, gsi1pk = :tp, gsi1sk = :ts REMOVE review`
                  : 'SET latestId = :latestId, firstId = if_not_exists(firstId, :latestId)',
                ConditionExpression: latest.ConditionExpression,
                ...(input.raisesTop ? { ExpressionAttributeNames: pointerNames } : {}),
                ExpressionAttributeValues: {
                  ...latest.ExpressionAttributeValues,
                  ':latestId': h.id,
                  ...(input.raisesTop ? { ...pointerValues, ...topIndex(h) } : {}),
                },
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...key(`IDEM#${input.idempotency.scope}#${input.idempotency.key}`, 'IDEM'),
                  submissionId: h.id,
                  bodyHash: input.idempotency.bodyHash,
                  createdAt: h.submittedAt,
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
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEX.name,
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :before',
        ExpressionAttributeValues: { ':p': PENDING, ':before': startedBefore.toISOString() },
        Limit: limit,
      }),
    );
    const result: SweepResult = { submissions: 0, chunks: 0 };
    for (const marker of out.Items ?? []) {
      const { pk } = readKey(marker);
      try {
        // From here on the commit cannot succeed (its Delete requires no `sweeping`); a commit that came first
        // deleted the marker, and this fails instead.
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: key(pk, PENDING),
            UpdateExpression: 'SET sweeping = :t',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':t': true },
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) continue;
        throw err;
      }
      const id = pk.slice('SUB#'.length);
      const chunks = await this.existingChunks(id);
      // Chunks first, the marker last: a sweep that dies half way leaves the marker for the next one.
      const deletes: WriteRequest[] = chunks.map((i) => ({ DeleteRequest: { Key: chunkItemKey(id, i) } }));
      for (let i = 0; i < deletes.length; i += 25) await this.batchWrite(deletes.slice(i, i + 25));
      await this.batchWrite([{ DeleteRequest: { Key: key(pk, PENDING) } }]);
      result.submissions++;
      result.chunks += chunks.length;
    }
    return result;
  }

  /**
   * The chunk numbers of a submission that exist. Each chunk has a key of its own, so they are probed: a run of
   * CHUNKS_IN_FLIGHT missing numbers ends the search, since putRows never has more chunks than that in flight.
   */
  private async existingChunks(id: string): Promise<number[]> {
    const found: number[] = [];
    for (let from = 0, missing = 0; missing < CHUNKS_IN_FLIGHT; from += 25) {
      const probes = await mapLimit(
        Array.from({ length: 25 }, (_none, i) => from + i),
        8,
        async (i) => (await this.get(chunkItemKey(id, i), 'pk')) !== null,
      );
      probes.forEach((exists, i) => {
        if (exists) {
          found.push(from + i);
          missing = 0;
        } else missing++;
      });
    }
    return found;
  }

  async putPart(scope: string, key: string, part: number, json: Buffer): Promise<string> {
    return this.parts.put(scope, key, part, json);
  }

  async getParts(scope: string, key: string, count: number): Promise<Map<number, StoredPart>> {
    return this.parts.all(scope, key, count);
  }

  async getHeader(id: string): Promise<SubmissionHeader | null> {
    const item = await this.get(key(`SUB#${id}`, 'HEAD'));
    if (!item) return null;
    return { ...readHeader(item), receipt: readReceipt(item).receipt };
  }

  async getRows(id: string, fromChunk = 0, toChunk?: number): Promise<unknown[]> {
    let end = toChunk;
    if (end === undefined) {
      const head = await this.get(key(`SUB#${id}`, 'HEAD'), 'pk, sk, chunks');
      end = head ? readLayout(head).chunks.length : 0;
    }
    const refs = Array.from({ length: Math.max(0, end - fromChunk) }, (_none, i) => ({ id, index: fromChunk + i }));
    const members = await this.getStoredChunks(refs);
    return parseChunks(await Promise.all(members.map(chunkBytes)));
  }

  async getStoredChunks(refs: readonly ChunkRef[]): Promise<Uint8Array[]> {
    const items = await batchGetAll(
      this.doc,
      this.table,
      refs.map((r) => chunkItemKey(r.id, r.index)),
    );
    return items.map((item, i) => {
      if (!item) throw new Error(`chunk ${refs[i].index} of submission ${refs[i].id} is missing`);
      return readChunk(item).data;
    });
  }

  async listHeaders(unit: string): Promise<Omit<SubmissionHeader, 'receipt'>[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `HIST#${unit}` },
      ScanIndexForward: false,
    });
    return items.map(readHeader);
  }

  // ---- reviews -------------------------------------------------------------------------------------------

  async putReview(
    review: Review,
    target: ReviewTarget,
    request: ReviewRequestKey,
  ): Promise<'written' | 'not_current' | 'replayed'> {
    const packed = JSON.stringify(review);
    const mark = (sk: string): TransactWriteItem => ({
      // Only while it names the reviewed submission: a review of a replaced one is refused.
      Update: {
        TableName: this.table,
        Key: key(`UNIT#${target.unit}`, sk),
        UpdateExpression: 'SET review = :r',
        ConditionExpression: 'currentId = :id',
        ExpressionAttributeValues: { ':r': packed, ':id': review.submissionId },
      },
    });
    const topKey = `FORM#${target.campaign}#${target.form}`;
    // The unit's top pointer (what the status board reads) carries the review too when the reviewed submission is
    // its newest round's: marked in the same transaction, so the board never disagrees with the round's pointer.
    // Whether it is, is read first. A commit writes a round's pointer and the top in one transaction, so while the
    // round's pointer names this submission the top names it or a newer round's, and can only move on to a newer
    // one: if that happens between the read and the write, the top's condition cancels the transaction and the
    // second attempt leaves the top alone.
    for (let attempt = 1; ; attempt++) {
      const top = await this.get(key(`UNIT#${target.unit}`, topKey));
      const marksTop = top !== null && readFormState(top).currentId === review.submissionId;
      try {
        await this.doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.table,
                  Item: {
                    ...key(`SUB#${review.submissionId}`, `REVIEW#${review.at}#${randomBytes(6).toString('hex')}`),
                    review: packed,
                    gsi1pk: `REVIEWS#${target.unit}`,
                    gsi1sk: `${review.at}#${review.submissionId}`,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                // The request's key, under the submission: a retry of the same click finds it and writes nothing.
                Put: {
                  TableName: this.table,
                  Item: {
                    ...reviewRequestKey(review.submissionId, request),
                    review: packed,
                    bodyHash: request.bodyHash,
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              mark(`CUR#${target.campaign}#${target.form}#${target.round}`),
              ...(marksTop ? [mark(topKey)] : []),
            ],
          }),
        );
        return 'written';
      } catch (err) {
        if (!(err instanceof TransactionCanceledException)) throw err;
        const reasons = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
        if (reasons[1] === 'ConditionalCheckFailed') return 'replayed';
        if (reasons[2] === 'ConditionalCheckFailed') return 'not_current';
        if (marksTop && reasons[3] === 'ConditionalCheckFailed' && attempt < 2) continue;
        throw err;
      }
    }
  }

  async getReviewRequest(
    submissionId: string,
    request: Omit<ReviewRequestKey, 'bodyHash'>,
  ): Promise<StoredReviewRequest | null> {
    const item = await this.get(reviewRequestKey(submissionId, request));
    return item ? readReviewRequest(item) : null;
  }

  async listReviews(unit: string): Promise<Review[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `REVIEWS#${unit}` },
    });
    return items.map((item) => readReview(item).review);
  }

  async listSubmissionReviews(id: string): Promise<Review[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `SUB#${id}`, ':p': 'REVIEW#' },
    });
    return items.map((item) => readReview(item).review);
  }

  // ---- contacts ------------------------------------------------------------------------------------------

  async putContact(unit: string, contact: UnitContact): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...key(`UNIT#${unit}`, 'CONTACT'),
          contact: JSON.stringify(contact),
          gsi1pk: 'CONTACTS',
          gsi1sk: unit,
        },
      }),
    );
  }

  async getContact(unit: string): Promise<UnitContact | null> {
    const item = await this.get(key(`UNIT#${unit}`, 'CONTACT'));
    return item ? readContact(item).contact : null;
  }

  async listContacts(): Promise<Map<string, UnitContact>> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CONTACTS' },
    });
    return new Map(
      items.map((item) => {
        const { gsi1sk, contact } = readContact(item);
        return [gsi1sk, contact];
      }),
    );
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private get(k: Key, projection?: string): Promise<Item | null> {
    return getItem(this.doc, this.table, k, projection);
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.doc, this.table, input);
  }
}

// ---- items: how each kind is written, and its reader (items.ts), next to each other ---------------------

function headerItem(h: SubmissionHeader): Item {
  return {
    ...key(`SUB#${h.id}`, 'HEAD'),
    id: h.id,
    unit: h.unit,
    campaign: h.campaign,
    form: h.form,
    formVersion: h.formVersion,
    round: h.round,
    version: h.version,
    rowCount: h.rowCount,
    late: h.late,
    submittedAt: h.submittedAt,
    asOf: h.asOf,
    contact: JSON.stringify(h.contact),
    chunks: JSON.stringify(h.chunks),
    bytes: h.bytes,
    tokenId: h.tokenId,
    summary: JSON.stringify(h.summary),
    receipt: packJson(h.receipt),
    gsi1pk: `HIST#${h.unit}`,
    gsi1sk: `${h.submittedAt}#${h.id}`,
    ...(h.basedOn ? { basedOn: h.basedOn } : {}),
  };
}

const readHeader = itemReader(
  'submission header',
  z.object({
    id: z.string(),
    unit: z.string(),
    campaign: z.string(),
    form: z.string(),
    formVersion: z.number(),
    round: z.string(),
    version: z.number(),
    rowCount: z.number(),
    late: z.boolean(),
    submittedAt: z.string(),
    asOf: z.string(),
    contact: jsonText<SubmissionHeader['contact']>(),
    basedOn: orNull(z.string()),
    chunks: jsonText<number[]>(),
    bytes: z.number(),
    tokenId: z.string(),
    summary: jsonText<SubmissionHeader['summary']>(),
  }),
);
/** Read apart from the rest: lists of headers leave it packed. */
const readReceipt = itemReader('submission header', z.object({ receipt: packedJson<SubmissionHeader['receipt']>() }));
/** The header's chunk layout alone (a projection). */
const readLayout = itemReader('submission header', z.object({ chunks: jsonText<number[]>() }));
const readChunk = itemReader('row chunk', z.object({ data: bytes }));

/** A current pointer's attributes (readPointer reads them): on CUR# items and on the FORM# item's top copy. */
function pointerAttributes(h: SubmissionHeader): Item {
  return {
    currentId: h.id,
    version: h.version,
    submittedAt: h.submittedAt,
    late: h.late,
    contactName: h.contact.name,
    // The consolidated table's note (数据截至) and whom to call, without a header read per unit.
    contactPhone: h.contact.phone,
    asOf: h.asOf,
    rowCount: h.rowCount,
    bytes: h.bytes,
    summary: JSON.stringify(h.summary),
    unitId: h.unit,
    campaign: h.campaign,
    form: h.form,
    round: h.round,
    // A page reads the rows straight from the pointer, without the submission's header first.
    chunks: JSON.stringify(h.chunks),
  };
}

const readPointer = itemReader(
  'current pointer',
  z.object({
    unitId: z.string(),
    campaign: z.string(),
    form: z.string(),
    round: z.string(),
    currentId: z.string(),
    version: z.number(),
    submittedAt: z.string(),
    late: z.boolean(),
    contactName: z.string(),
    // Pointers written before they carried these have none (the page reads the header).
    contactPhone: orNull(z.string()),
    asOf: orNull(z.string()),
    rowCount: z.number(),
    bytes: z.number(),
    summary: jsonText<CurrentPointer['summary']>(),
    // Set by a review, removed by the next commit.
    review: orNull(jsonText<Review>()),
    // Pointers written before they carried their submission's chunk layout have none (the page reads the header).
    chunks: orNull(jsonText<number[]>()),
  }),
  ({ unitId, ...p }): CurrentPointer => ({ unit: unitId, ...p }),
);

/** The FORM# item: latest and first accepted submission; a top pointer's attributes once a commit raised it. */
const readFormState = itemReader(
  'form state',
  z
    .object({
      latestId: z.string(),
      firstId: z.string(),
      currentId: z.optional(z.string()),
      round: z.optional(z.string()),
    })
    .check(z.refine((s) => s.currentId === undefined || s.round !== undefined, 'a top pointer without its round')),
  (s) => ({
    latestId: s.latestId,
    firstId: s.firstId,
    topRound: s.currentId === undefined ? null : (s.round ?? null),
    currentId: s.currentId ?? null,
  }),
);

/** The FORM# item's place on gsi1 once it holds a top pointer. */
const topIndex = (h: SubmissionHeader): Item => ({
  ':tp': `LATEST#${h.campaign}`,
  ':ts': `${h.form}#${h.unit}`,
});

const UNLISTED = 'UNLISTED';
const UNLISTED_COMPLETE = '#COMPLETE';

/** A unit's item: in UNITS, or its copy in the UNLISTED index. */
function unitItem(pk: string, u: UnitRecord): Item {
  return {
    ...key(pk, `UNIT#${u.id}`),
    id: u.id,
    name: u.name,
    role: u.role,
    order: u.order,
    createdAt: u.createdAt,
  };
}

const readUnit = itemReader(
  'unit',
  z.object({
    id: z.string(),
    name: z.string(),
    role: z.enum(UNIT_ROLES),
    order: z.number(),
    createdAt: z.string(),
  }),
);

const TOKEN_ROLES = ['county', 'prefecture', 'admin'] as const satisfies readonly Role[];
const readToken = itemReader(
  'token',
  z.object({
    id: z.string(),
    pk: z.string().check(z.startsWith('TOKEN#')),
    unit: z.string(),
    role: z.enum(TOKEN_ROLES),
    createdAt: z.string(),
    revoked: z.boolean(),
  }),
  (t): TokenRecord => ({
    id: t.id,
    hash: t.pk.slice('TOKEN#'.length),
    unit: t.unit,
    role: t.role,
    createdAt: t.createdAt,
    revoked: t.revoked,
  }),
);

const readCampaign = itemReader(
  'campaign',
  z.object({
    id: z.string(),
    document: packedJson<CampaignRecord['document']>(),
    revision: z.number(),
    publishedAt: z.string(),
    forms: jsonText<CampaignRecord['forms']>(),
  }),
);
const readFormVersion = itemReader(
  'form version',
  z.object({
    form: z.string(),
    version: z.number(),
    validFrom: z.string(),
    spec: packedJson<FormVersionRecord['spec']>(),
    publishedAt: z.string(),
  }),
);
/** UNIT#<unit> / IN#<campaign>: the unit is listed by that campaign. */
const readListing = itemReader('campaign listing', z.object({ campaign: z.string() }));

const readKey = itemReader('item key', z.object({ pk: z.string(), sk: z.string() }));
const readIdempotency = itemReader('idempotency key', z.object({ submissionId: z.string(), bodyHash: z.string() }));
const readReview = itemReader('review', z.object({ review: jsonText<Review>() }));
const readReviewRequest = itemReader(
  'review request key',
  z.object({ review: jsonText<Review>(), bodyHash: z.string() }),
);
const readContact = itemReader('contact', z.object({ contact: jsonText<UnitContact>(), gsi1sk: z.string() }));
