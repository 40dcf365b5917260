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
        const item = output.Item as Item | undefined;
        if (item) this.read(String((input.Key as Item).pk.S), item);
        return;
      }
      case 'QueryCommand': {
        const index = input.IndexName as string | undefined;
        for (const item of (output.Items as Item[] | undefined) ?? [])
          this.read(index ? `${index}:${item.gsi1pk?.S}` : String(item.pk?.S), item);
        return;
      }
      case 'PutItemCommand':
        return this.write({ kind: 'put', key: input.Item as Item, item: input.Item as Item }, 1);
      case 'UpdateItemCommand':
        return this.write(updateAction(input), 1);
      case 'DeleteItemCommand':
        return this.write({ kind: 'delete', key: input.Key as Item }, 1);
      case 'BatchWriteItemCommand': {
        const keyOf = (r: WriteRequest): string => {
          const k = r.PutRequest?.Item ?? r.DeleteRequest?.Key ?? {};
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
            if (r.PutRequest?.Item) this.write({ kind: 'put', key: r.PutRequest.Item, item: r.PutRequest.Item }, 1);
            else if (r.DeleteRequest?.Key) this.write({ kind: 'delete', key: r.DeleteRequest.Key }, 1);
          }
        return;
      }
      case 'TransactWriteItemsCommand': {
        for (const t of input.TransactItems as Record<string, Record<string, unknown>>[]) {
          if (t.Put) this.write({ kind: 'put', key: t.Put.Item as Item, item: t.Put.Item as Item }, 2);
          else if (t.Update) this.write(updateAction(t.Update), 2);
          else if (t.Delete) this.write({ kind: 'delete', key: t.Delete.Key as Item }, 2);
        }
        return;
      }
    }
  }
}

function updateAction(input: Record<string, unknown>): WriteAction {
  const values = (input.ExpressionAttributeValues as Item | undefined) ?? {};
  const setsIndex = /gsi1pk\s*=\s*(:\w+)/.exec(String(input.UpdateExpression ?? ''));
  return {
    kind: 'update',
    key: input.Key as Item,
    values,
    gsi1pk: setsIndex ? values[setsIndex[1]]?.S : undefined,
  };
}
