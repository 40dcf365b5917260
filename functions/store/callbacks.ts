// Callback samples and their results (回访, DESIGN §10), kept apart from the submissions' items:
//
//   pk                              sk                    what
//   CALLBACK#<campaign>#<round>     SAMPLE                the round's drawn sample: seed, rate, who and when, the
//                                                         units' closed/drawn counts, the tally of results per unit
//                                                         and `rev` (raised by each results write: optimistic lock).
//                                                         Put once (condition: not there), so it is never redrawn.
//                                                         gsi1: CBSAMPLES#<campaign> / <round> (rounds over time)
//   CBCASES#<sampleId>#<nnnnn>      CASES                 its cases, gzip JSON lines, each chunk under a key of its
//                                                         own (written before the SAMPLE item names them)
//   CALLBACK#<campaign>#<round>     RESULTS#<at>#<id>     one request's results (who, when, what), kept for good
//   CBFLAGS#<campaign>              UNIT#<unit>           the unit's cases standing 回访不满意 (JSON), `rev`
//   CBIDEM#<unit>#<key>             IDEM                  an Idempotency-Key used for results, with the body's hash
//
// A results write is one TransactWriteItems: the RESULTS item, the SAMPLE's new tally (condition: rev unchanged),
// each changed CBFLAGS item (condition: its rev unchanged) and the CBIDEM item (condition: not there). A concurrent
// write makes it fail whole; the domain reads again and retries.
import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteItem,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import type { CallbackEntry, CallbackFlag } from '../../forms/callback';
import type { FormRow } from '../../forms/types';
import { chunkLines, chunkRows, packJson } from './codec';
import { bytes, itemReader, jsonText, key, packedJson, type Item, type Key } from './items';
import { mapLimit } from './retry';
import { INDEX } from './schema';
import { batchWriteAll, getItem, queryAll, type WriteRequest } from './table-io';

/** Leading parts of the partition keys the callbacks function writes (infra/cloud grants exactly these). */
export const CALLBACK_KEY_PREFIX = {
  sample: 'CALLBACK#',
  cases: 'CBCASES#',
  flags: 'CBFLAGS#',
  idempotency: 'CBIDEM#',
} as const;
export const CALLBACK_WRITE_KEYS = Object.values(CALLBACK_KEY_PREFIX);

/** Counts of one unit's sampled cases by their newest result. */
export interface TallyCounts {
  visited: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
}

export interface SampleRecord {
  campaign: string;
  round: string;
  form: string;
  /** Names the case chunks; a lost race's chunks (another id) are never read. */
  sampleId: string;
  seed: string;
  rate: number;
  drawnAt: string;
  drawnBy: string;
  drawnByName: string;
  tokenId: string;
  /** Per unit that had rows: its closed cases and how many were drawn, in the consolidated table's order. */
  units: { unit: string; unitName: string; closed: number; drawn: number }[];
  caseCount: number;
  chunks: number;
  /** Per unit, its sampled cases by newest result (units without results absent). */
  tally: Record<string, TallyCounts>;
  /** 0 when drawn, +1 with each results write. */
  rev: number;
}

export interface StoredCase {
  unit: string;
  unitName: string;
  seq: number;
  row: FormRow;
  submissionId: string;
}

export interface StoredResult {
  unit: string;
  seq: number;
  entry: CallbackEntry;
}

/** One request's results, with who sent them and when. */
export interface ResultBatch {
  id: string;
  at: string;
  by: string;
  byName: string;
  tokenId: string;
  results: StoredResult[];
}

export interface FlagSet {
  unit: string;
  flags: CallbackFlag[];
  /** 0 when the unit has no item yet. */
  rev: number;
}

export interface SaveResultsInput {
  campaign: string;
  round: string;
  batch: ResultBatch;
  /** The sample's new tally, written on condition that its rev is still `expectedRev`. */
  tally: Record<string, TallyCounts>;
  expectedRev: number;
  /** Flag sets that change, each with the rev it was read at. */
  flags: FlagSet[];
  idempotency: { scope: string; key: string; bodyHash: string };
}

export type SaveResultsOutcome = 'ok' | 'conflict' | 'idempotency';

export interface CallbackStore {
  getSample(campaign: string, round: string): Promise<SampleRecord | null>;
  /** Every round's sample head of a campaign (one index Query), rounds ascending. */
  listSamples(campaign: string): Promise<SampleRecord[]>;
  getCases(sample: SampleRecord): Promise<StoredCase[]>;
  /**
   * Stores a freshly drawn sample; false (nothing visible written) when the round already has one. The head's
   * `sampleId`, `chunks` and `caseCount` are set here.
   */
  putSample(sample: Omit<SampleRecord, 'sampleId' | 'chunks' | 'caseCount'>, cases: StoredCase[]): Promise<boolean>;
  /** The round's result batches, oldest first. */
  listBatches(campaign: string, round: string): Promise<ResultBatch[]>;
  saveResults(input: SaveResultsInput): Promise<SaveResultsOutcome>;
  getIdempotency(scope: string, key: string): Promise<{ bodyHash: string } | null>;
  getFlags(campaign: string, unit: string): Promise<FlagSet>;
  /** Every unit's flags of a campaign (one Query of its CBFLAGS partition). */
  listFlags(campaign: string): Promise<FlagSet[]>;
}

const sampleKey = (campaign: string, round: string): Key =>
  key(`${CALLBACK_KEY_PREFIX.sample}${campaign}#${round}`, 'SAMPLE');
const casesKey = (sampleId: string, chunk: number): Key =>
  key(`${CALLBACK_KEY_PREFIX.cases}${sampleId}#${String(chunk).padStart(5, '0')}`, 'CASES');
const flagsKey = (campaign: string, unit: string): Key =>
  key(`${CALLBACK_KEY_PREFIX.flags}${campaign}`, `UNIT#${unit}`);

// Each item kind as putSample and saveResults write it.
const readSample = itemReader(
  'callback sample',
  z.object({
    data: packedJson<Omit<SampleRecord, 'tally' | 'rev'>>(),
    tally: jsonText<Record<string, TallyCounts>>(),
    rev: z.number(),
  }),
  ({ data, tally, rev }): SampleRecord => ({ ...data, tally, rev }),
);
const readCases = itemReader('callback cases', z.object({ data: bytes }));
const readBatch = itemReader('callback results', z.object({ data: packedJson<ResultBatch>() }));
const readIdempotency = itemReader('callback idempotency key', z.object({ bodyHash: z.string() }));
const readFlags = itemReader(
  'callback flags',
  z.object({ sk: z.string().check(z.startsWith('UNIT#')), flags: jsonText<CallbackFlag[]>(), rev: z.number() }),
);

export class DynamoCallbackStore implements CallbackStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getSample(campaign: string, round: string): Promise<SampleRecord | null> {
    const item = await this.get(sampleKey(campaign, round));
    return item ? readSample(item) : null;
  }

  async listSamples(campaign: string): Promise<SampleRecord[]> {
    const items = await this.queryAll({
      IndexName: INDEX.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': `CBSAMPLES#${campaign}` },
    });
    return items.map(readSample);
  }

  async getCases(sample: SampleRecord): Promise<StoredCase[]> {
    const chunks = await mapLimit(
      Array.from({ length: sample.chunks }, (_none, i) => i),
      8,
      async (i) => {
        const item = await this.get(casesKey(sample.sampleId, i));
        if (!item) throw new Error(`callback sample ${sample.sampleId} misses chunk ${i}`);
        return chunkLines(readCases(item).data).map((line) => JSON.parse(line) as StoredCase);
      },
    );
    return chunks.flat();
  }

  async putSample(
    sample: Omit<SampleRecord, 'sampleId' | 'chunks' | 'caseCount'>,
    cases: StoredCase[],
  ): Promise<boolean> {
    const sampleId = `smp_${Date.now().toString(36)}${randomBytes(6).toString('hex')}`;
    const chunks = await chunkRows(cases);
    await this.batchPut(chunks.map((c, i) => ({ ...casesKey(sampleId, i), data: c.data })));
    const { tally, rev, ...head } = { ...sample, sampleId, chunks: chunks.length, caseCount: cases.length, rev: 0 };
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...sampleKey(sample.campaign, sample.round),
            data: packJson(head),
            tally: JSON.stringify(tally),
            rev,
            gsi1pk: `CBSAMPLES#${sample.campaign}`,
            gsi1sk: sample.round,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name !== 'ConditionalCheckFailedException') throw err;
      // Another draw of the same round won: its head names its own chunks; ours are never read, so remove them.
      await this.batchDelete(chunks.map((_c, i) => casesKey(sampleId, i)));
      return false;
    }
  }

  async listBatches(campaign: string, round: string): Promise<ResultBatch[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': `${CALLBACK_KEY_PREFIX.sample}${campaign}#${round}`, ':p': 'RESULTS#' },
    });
    return items.map((item) => readBatch(item).data);
  }

  async saveResults(input: SaveResultsInput): Promise<SaveResultsOutcome> {
    const { campaign, round, batch, idempotency } = input;
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.table,
          Item: {
            ...key(`${CALLBACK_KEY_PREFIX.sample}${campaign}#${round}`, `RESULTS#${batch.at}#${batch.id}`),
            data: packJson(batch),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.table,
          Key: sampleKey(campaign, round),
          UpdateExpression: 'SET tally = :t, rev = :next',
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: {
            ':t': JSON.stringify(input.tally),
            ':rev': input.expectedRev,
            ':next': input.expectedRev + 1,
          },
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: {
            ...key(`${CALLBACK_KEY_PREFIX.idempotency}${idempotency.scope}#${idempotency.key}`, 'IDEM'),
            bodyHash: idempotency.bodyHash,
            batchId: batch.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...input.flags.map((set): TransactWriteItem => ({
        Put: {
          TableName: this.table,
          Item: { ...flagsKey(campaign, set.unit), flags: JSON.stringify(set.flags), rev: set.rev + 1 },
          ConditionExpression: set.rev === 0 ? 'attribute_not_exists(pk)' : 'rev = :rev',
          ...(set.rev === 0 ? {} : { ExpressionAttributeValues: { ':rev': set.rev } }),
        },
      })),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return 'ok';
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (reasons[2] === 'ConditionalCheckFailed') return 'idempotency';
      if (reasons.some((r) => r === 'ConditionalCheckFailed' || r === 'TransactionConflict')) return 'conflict';
      throw err;
    }
  }

  async getIdempotency(scope: string, idemKey: string): Promise<{ bodyHash: string } | null> {
    const item = await this.get(key(`${CALLBACK_KEY_PREFIX.idempotency}${scope}#${idemKey}`, 'IDEM'));
    return item ? { bodyHash: readIdempotency(item).bodyHash } : null;
  }

  async getFlags(campaign: string, unit: string): Promise<FlagSet> {
    const item = await this.get(flagsKey(campaign, unit));
    // No item yet: the unit has no flags, at rev 0 (saveResults then writes it on condition that it is still absent).
    if (!item) return { unit, flags: [], rev: 0 };
    const { flags, rev } = readFlags(item);
    return { unit, flags, rev };
  }

  async listFlags(campaign: string): Promise<FlagSet[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `${CALLBACK_KEY_PREFIX.flags}${campaign}` },
    });
    return items.map((item) => {
      const { sk, flags, rev } = readFlags(item);
      return { unit: sk.slice('UNIT#'.length), flags, rev };
    });
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private get(k: Key): Promise<Item | null> {
    return getItem(this.doc, this.table, k);
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    return queryAll(this.doc, this.table, input);
  }

  private async batchPut(items: Item[]): Promise<void> {
    await this.batch(items.map((Item) => ({ PutRequest: { Item } })));
  }

  private async batchDelete(keys: Key[]): Promise<void> {
    await this.batch(keys.map((Key) => ({ DeleteRequest: { Key } })));
  }

  private batch(requests: WriteRequest[]): Promise<void> {
    return batchWriteAll(this.doc, this.table, requests);
  }
}
