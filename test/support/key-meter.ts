// What each request costs per partition key, measured on the client: the items and bytes it reads from each key
// and the write capacity (WCU) it spends on each. DynamoDB Local neither throttles nor models partitions, so the
// per-key bounds of a real table (1,000 WCU/s and 3,000 RCU/s per partition) are checked on these counts.
//
// Sizes follow DynamoDB's item-size rules (attribute names + values; numbers ~1 byte per 2 digits + 1; lists
// and maps 3 bytes + 1 per element). WCU: 1 per started KB of the item written (Put: the new item; Update: the
// larger of the item before and after; Delete: the item deleted), twice inside TransactWriteItems; an item
// carrying gsi1pk also costs the index's partition `gsi1:<gsi1pk>`. Item sizes the meter has not seen written
// (an Update or Delete of an older item) are estimated from the request.
import type { AttributeValue, DynamoDBClient, WriteRequest } from '@aws-sdk/client-dynamodb';

type Item = Record<string, AttributeValue>;

/**
 * Items in the form DynamoDB's API takes them. The meter sits where requests start (the initialize step), where
 * the store's requests still carry plain values (its document client marshals them further down the stack) and
 * a low-level command carries attribute values already. Stored values are never maps, so an item whose values
 * are all objects other than binaries is in attribute-value form.
 */
function asAttributes(item: object | undefined): Item {
  const values = Object.values(item ?? {});
  const wire = values.every((v) => typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) && !Array.isArray(v));
  if (wire) return (item ?? {}) as Item;
  return Object.fromEntries(Object.entries(item ?? {}).map(([name, v]) => [name, attributeOf(v)]));
}

function attributeOf(v: unknown): AttributeValue {
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  if (typeof v === 'boolean') return { BOOL: v };
  if (v === null) return { NULL: true };
  if (v instanceof Uint8Array) return { B: v };
  if (Array.isArray(v)) return { L: v.map(attributeOf) };
  return { M: Object.fromEntries(Object.entries(v as object).map(([name, e]) => [name, attributeOf(e)])) };
}

export function attributeBytes(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S, 'utf8');
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^[-0.]+|\.|0+$/g, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.byteLength;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.L !== undefined) return 3 + v.L.reduce((n, e) => n + 1 + attributeBytes(e), 0);
  if (v.M !== undefined) return 3 + Object.values(v.M).length + itemBytes(v.M);
  if (v.SS !== undefined) return v.SS.reduce((n, e) => n + Buffer.byteLength(e, 'utf8'), 0);
  return 1;
}

export function itemBytes(item: Item): number {
  return Object.entries(item).reduce((n, [name, v]) => n + Buffer.byteLength(name, 'utf8') + attributeBytes(v), 0);
}

const wcuOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

export interface KeyReads {
  items: number;
  bytes: number;
  /** The sort keys of the items read (which items of a shared partition such as UNITS). */
  sortKeys: string[];
}

export interface MeterReport {
  requests: number;
  itemsRead: number;
  bytesRead: number;
  /** Per partition key read (`gsi1:<key>` for the index). */
  reads: Map<string, KeyReads>;
  /** WCU per partition key written. */
  wcu: Map<string, number>;
  /** The key that took most WCU, and how much. */
  maxWcu: { key: string; wcu: number };
}

interface WriteAction {
  kind: 'put' | 'update' | 'delete';
  key: Item;
  item?: Item;
  /** Update: the gsi1pk it sets, when it names one. */
  gsi1pk?: string;
  /** Update: the values it writes. */
  values?: Item;
}

/** Attach to a client; `take()` returns what was read and written since the last `take()`. */
export class KeyMeter {
  private requests = 0;
  private reads = new Map<string, KeyReads>();
  private wcu = new Map<string, number>();
  /** Last known size and index key of each item (pk|sk) written through this client. */
  private known = new Map<string, { bytes: number; gsi1pk?: string }>();

  constructor(client: DynamoDBClient) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        this.record(String(context.commandName), args.input as Record<string, unknown>, out.output as never);
        return out;
      },
      { step: 'initialize', name: 'baosongKeyMeter' },
    );
  }

  take(): MeterReport {
    let maxWcu = { key: '', wcu: 0 };
    for (const [key, wcu] of this.wcu) if (wcu > maxWcu.wcu) maxWcu = { key, wcu };
    let itemsRead = 0;
    let bytesRead = 0;
    for (const r of this.reads.values()) {
      itemsRead += r.items;
      bytesRead += r.bytes;
    }
    const report = { requests: this.requests, itemsRead, bytesRead, reads: this.reads, wcu: this.wcu, maxWcu };
    this.requests = 0;
    this.reads = new Map();
    this.wcu = new Map();
    return report;
  }

  private read(key: string, item: Item): void {
    const r = this.reads.get(key) ?? { items: 0, bytes: 0, sortKeys: [] };
    r.items++;
    r.bytes += itemBytes(item);
    r.sortKeys.push(String(item.sk?.S));
    this.reads.set(key, r);
  }

  private spend(key: string, wcu: number): void {
    this.wcu.set(key, (this.wcu.get(key) ?? 0) + wcu);
  }

  private write(action: WriteAction, factor: number): void {
    const id = `${action.key.pk?.S}|${action.key.sk?.S}`;
    const before = this.known.get(id);
    let bytes: number;
    let gsi1pk: string | undefined;
    if (action.kind === 'put') {
      bytes = itemBytes(action.item!);
      gsi1pk = action.item!.gsi1pk?.S;
      this.known.set(id, { bytes, gsi1pk });
    } else if (action.kind === 'update') {
      const estimate = itemBytes(action.key) + itemBytes(action.values ?? {});
      bytes = Math.max(before?.bytes ?? 0, estimate);
      gsi1pk = action.gsi1pk ?? before?.gsi1pk;
      this.known.set(id, { bytes, gsi1pk });
    } else {
      bytes = before?.bytes ?? itemBytes(action.key);
      gsi1pk = before?.gsi1pk;
      this.known.delete(id);
    }
    const wcu = wcuOf(bytes) * factor;
    this.spend(String(action.key.pk?.S), wcu);
    if (gsi1pk) this.spend(`gsi1:${gsi1pk}`, wcuOf(bytes));
  }

  private record(command: string, input: Record<string, unknown>, output: Record<string, unknown>): void {
    this.requests++;
    switch (command) {
      case 'GetItemCommand': {
        const item = output.Item as object | undefined;
        if (item) this.read(String(asAttributes(input.Key as object).pk.S), asAttributes(item));
        return;
      }
      case 'QueryCommand': {
        const index = input.IndexName as string | undefined;
        for (const item of ((output.Items as object[] | undefined) ?? []).map(asAttributes))
          this.read(index ? `${index}:${item.gsi1pk?.S}` : String(item.pk?.S), item);
        return;
      }
      case 'BatchGetItemCommand': {
        for (const items of Object.values((output.Responses as Record<string, object[]> | undefined) ?? {}))
          for (const item of items.map(asAttributes)) this.read(String(item.pk?.S), item);
        return;
      }
      case 'PutItemCommand':
        return this.write(putAction(input.Item), 1);
      case 'UpdateItemCommand':
        return this.write(updateAction(input), 1);
      case 'DeleteItemCommand':
        return this.write({ kind: 'delete', key: asAttributes(input.Key as object) }, 1);
      case 'BatchWriteItemCommand': {
        const keyOf = (r: WriteRequest): string => {
          const k = asAttributes(r.PutRequest?.Item ?? r.DeleteRequest?.Key);
          return `${k.pk?.S}|${k.sk?.S}`;
        };
        const unprocessed = new Set(
          Object.values((output.UnprocessedItems as Record<string, WriteRequest[]> | undefined) ?? {})
            .flat()
            .map(keyOf),
        );
        for (const requests of Object.values(input.RequestItems as Record<string, WriteRequest[]>))
          for (const r of requests) {
            if (unprocessed.has(keyOf(r))) continue;
            if (r.PutRequest?.Item) this.write(putAction(r.PutRequest.Item), 1);
            else if (r.DeleteRequest?.Key) this.write({ kind: 'delete', key: asAttributes(r.DeleteRequest.Key) }, 1);
          }
        return;
      }
      case 'TransactWriteItemsCommand': {
        for (const t of input.TransactItems as Record<string, Record<string, unknown>>[]) {
          if (t.Put) this.write(putAction(t.Put.Item), 2);
          else if (t.Update) this.write(updateAction(t.Update), 2);
          else if (t.Delete) this.write({ kind: 'delete', key: asAttributes(t.Delete.Key as object) }, 2);
        }
        return;
      }
    }
  }
}

function putAction(given: unknown): WriteAction {
  const item = asAttributes(given as object);
  return { kind: 'put', key: item, item };
}

function updateAction(input: Record<string, unknown>): WriteAction {
  const values = asAttributes(input.ExpressionAttributeValues as object | undefined);
  const setsIndex = /gsi1pk\s*=\s*(:\w+)/.exec(String(input.UpdateExpression ?? ''));
  return {
    kind: 'update',
    key: asAttributes(input.Key as object),
    values,
    gsi1pk: setsIndex ? values[setsIndex[1]]?.S : undefined,
  };
}
