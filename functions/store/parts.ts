// Parts of a submission too big for one request. Lambda's 6 MB limit counts a compressed body in base64
// (infra/local/gateway.ts), so a sheet whose compressed rows pass contract/api.ts MAX_COMPRESSED_REQUEST_BYTES is
// uploaded in parts under the click's Idempotency-Key and then committed by one ordinary POST /v1/submissions
// that names the parts. Parts are staging only: nothing refers to them until that commit reads them, and they
// carry expiresAt like the row chunks of a submission that never commits, so abandoned ones go away.
//
//   pk                              sk     what
//   UPLOAD#<scope>#<key>#<nnn>#<ss> PART   slice ss of part nnn: gzip of the part's JSON (an array of rows);
//                                          slice 00 also holds the part's sha256 and its number of slices.
//   A key per slice: one part (up to 4 MB) is written within a second, more than one key's 1,000 WCU/s.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { bytes, itemReader, type Item, type Key } from './items';
import { mapLimit } from './retry';
import { KEY_PREFIX, TTL_ATTRIBUTE } from './schema';
import { batchWriteAll, getItem } from './table-io';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** How long an uploaded part waits for its commit (as UNCOMMITTED_ROWS_TTL_SECONDS in dynamo.ts). */
export const PART_TTL_SECONDS = 2 * 86400;
/** Compressed bytes per item, below DynamoDB's 400 KB item limit. */
const SLICE_BYTES = 350_000;

export interface StoredPart {
  /** SHA-256 (hex) of the part's JSON bytes as the client sent them (after Content-Encoding). */
  sha256: string;
  json: Buffer;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Slice 00 names the part's hash and its number of slices; every slice holds its bytes. */
const readHead = itemReader(
  'part slice 00',
  z.object({ data: bytes, sha256: z.string(), slices: z.int().check(z.minimum(1)) }),
);
const readSlice = itemReader('part slice', z.object({ data: bytes }));

export class PartStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(scope: string, key: string, part: number, slice: number): Key {
    return { pk: `${KEY_PREFIX.upload}${scope}#${key}#${pad(part, 3)}#${pad(slice, 2)}`, sk: 'PART' };
  }

  private get(k: Key): Promise<Item | null> {
    return getItem(this.doc, this.table, k);
  }

  /** Stores (or replaces) part `part`; returns its SHA-256. */
  async put(scope: string, key: string, part: number, json: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(json).digest('hex');
    const packed = await gzipAsync(json, { level: 4 });
    const slices = Math.max(1, Math.ceil(packed.length / SLICE_BYTES));
    const expiresAt = Math.floor(Date.now() / 1000) + PART_TTL_SECONDS;
    const items: Item[] = Array.from({ length: slices }, (_none, s) => ({
      ...this.key(scope, key, part, s),
      data: packed.subarray(s * SLICE_BYTES, (s + 1) * SLICE_BYTES),
      [TTL_ATTRIBUTE]: expiresAt,
      ...(s === 0 ? { sha256, slices } : {}),
    }));
    await batchWriteAll(
      this.doc,
      this.table,
      items.map((Item) => ({ PutRequest: { Item } })),
    );
    return sha256;
  }

  /** Parts 0 … count-1 stored under the key that are complete, by part number. */
  async all(scope: string, key: string, count: number): Promise<Map<number, StoredPart>> {
    const parts = new Map<number, StoredPart>();
    await mapLimit(
      Array.from({ length: count }, (_none, i) => i),
      4,
      async (part) => {
        const stored = await this.get(this.key(scope, key, part, 0));
        if (!stored) return;
        const head = readHead(stored);
        // A part replaced by a smaller upload may leave stale slices behind; only its own count is read.
        const rest = await mapLimit(
          Array.from({ length: head.slices - 1 }, (_none, i) => i + 1),
          4,
          (s) => this.get(this.key(scope, key, part, s)),
        );
        if (rest.some((item) => !item)) return;
        const packed = Buffer.concat([head.data, ...(rest as Item[]).map((item) => readSlice(item).data)]);
        // An upload interrupted half-way (or replaced) leaves slices that do not add up: that part counts as missing.
        const json = await gunzipAsync(packed).catch(() => null);
        if (json && createHash('sha256').update(json).digest('hex') === head.sha256)
          parts.set(part, { sha256: head.sha256, json });
      },
    );
    return parts;
  }
}
