// Items as the store reads and writes them through the document client (@aws-sdk/lib-dynamodb): plain strings,
// numbers, booleans and Uint8Array, laid out exactly as before the document client (small structures as JSON
// text, large ones as gzip JSON bytes), so items already stored read the same.
//
// Reading one back goes through the schema of its kind (beside the code that writes that kind), which checks
// every attribute the store relies on: an item that lacks one or holds the wrong type is a broken invariant of
// the store, never the user's input, so it throws CorruptItem (the HTTP edge logs it and answers 500) instead of
// reading as '' or 0.
// zod/mini, like the rest of the project: the store goes into every function's bundle.
import type { NativeAttributeValue } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { unpackJson } from './codec';

export type Item = Record<string, NativeAttributeValue>;
/** The table's key (a type, not an interface: it must pass where an Item is expected). */
export type Key = { pk: string; sk: string };

export const key = (pk: string, sk: string): Key => ({ pk, sk });

/** A stored item that does not hold what its kind must. */
export class CorruptItem extends Error {
  override readonly name = 'CorruptItem';
}

/** What is wrong with one attribute, in the log's language (zod/mini carries no messages of its own). */
function problem(issue: z.core.$ZodIssue): string {
  const at = issue.path.join('.') || '(item)';
  if (issue.code === 'invalid_type') return `${at}: expected ${issue.expected}`;
  if (issue.code === 'invalid_value') return `${at}: expected one of ${issue.values.join(', ')}`;
  return `${at}: ${issue.message}`;
}

/**
 * The reader of one item kind: the attributes `schema` checks, made into the record by `map`; CorruptItem naming
 * the item and each attribute that is missing or wrong.
 */
export function itemReader<S extends z.ZodMiniType, T = z.output<S>>(
  kind: string,
  schema: S,
  map: (attributes: z.output<S>) => T = (attributes) => attributes as T,
): (item: Item) => T {
  return (item) => {
    const read = schema.safeParse(item);
    if (read.success) return map(read.data);
    const where = typeof item.pk === 'string' ? ` ${item.pk} / ${String(item.sk)}` : '';
    throw new CorruptItem(`stored ${kind}${where} is corrupt: ${read.error.issues.map(problem).join('; ')}`);
  };
}

/** A value decoded from an attribute; a decoding that fails is an issue of the item, not a bare parser error. */
const decoded = <In, Out>(attribute: z.ZodMiniType<In>, decode: (value: In) => Out) =>
  z.pipe(
    attribute,
    z.transform((value: In, ctx): Out => {
      try {
        return decode(value);
      } catch (err) {
        ctx.issues.push({ code: 'custom', message: `cannot be decoded (${(err as Error).message})`, input: value });
        return z.NEVER;
      }
    }),
  );

export const bytes = z.instanceof(Uint8Array);
/** Small structures (contacts, summaries, chunk layouts, reviews) are kept as JSON text; T is trusted. */
export const jsonText = <T>() => decoded(z.string(), (text) => JSON.parse(text) as T);
/** Large ones (documents, specs, receipts) as gzip JSON bytes (codec.ts packJson); T is trusted. */
export const packedJson = <T>() => decoded(bytes, (data) => unpackJson<T>(data));
/** An attribute written only sometimes (a review, a basedOn): null when the item has none. */
export const orNull = <T>(attribute: z.ZodMiniType<T>) =>
  z.pipe(
    z.optional(attribute),
    z.transform((value: T | undefined) => value ?? null),
  );
