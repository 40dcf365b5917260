// Items as the store reads and writes them through the document client (@aws-sdk/lib-dynamodb): plain strings,
// numbers, booleans and Uint8Array, laid out exactly as before the document client (small structures as JSON
// text, large ones as gzip JSON bytes), so items already stored read the same.
//
// Reading one back goes through the schema of its kind (beside the code that writes that kind), which checks
// every attribute the store relies on: an item that lacks one or holds the wrong type is a broken invariant of
// the store, never the user's input, so it throws CorruptItem (the HTTP edge logs it and answers 500) instead of
// reading as '' or 0.
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { unpackJson } from './codec';

export type Item = Record<string, NativeAttributeValue>;
/** The table's key (a type, not an interface: it must pass where an Item is expected). */
export type Key = { pk: string; sk: string };

export const key = (pk: string, sk: string): Key => ({ pk, sk });

/** A stored item that does not hold what its kind must. */
export class CorruptItem extends Error {
  override readonly name = 'CorruptItem';
}

/** The reader of one item kind: the schema's output, or CorruptItem naming the item and what is wrong with it. */
export function itemReader<T>(kind: string, schema: z.ZodType<T>): (item: Item) => T {
  return (item) => {
    const read = schema.safeParse(item);
    if (read.success) return read.data;
    const where = typeof item.pk === 'string' ? ` ${item.pk} / ${String(item.sk)}` : '';
    const what = read.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`);
    throw new CorruptItem(`stored ${kind}${where} is corrupt: ${what.join('; ')}`);
  };
}

/** A value decoded from an attribute; a decoding that fails is an issue of the item, not a bare parser error. */
const decoded = <In, Out>(attribute: z.ZodType<In>, decode: (value: In) => Out) =>
  attribute.transform((value, ctx): Out => {
    try {
      return decode(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `cannot be decoded (${(err as Error).message})` });
      return z.NEVER;
    }
  });

export const bytes = z.instanceof(Uint8Array);
/** Small structures (contacts, summaries, chunk layouts, reviews) are kept as JSON text; T is trusted. */
export const jsonText = <T>() => decoded(z.string(), (text) => JSON.parse(text) as T);
/** Large ones (documents, specs, receipts) as gzip JSON bytes (codec.ts packJson); T is trusted. */
export const packedJson = <T>() => decoded(bytes, (data) => unpackJson<T>(data));
/** An attribute written only sometimes (a review, a basedOn): null when the item has none. */
export const orNull = <T>(attribute: z.ZodType<T>) => attribute.optional().transform((value) => value ?? null);
