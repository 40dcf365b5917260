// A handler group on a thread of its own (handler-threads.ts): the group's Lambda handler on a Context of the
// thread's own — its own DynamoDB client on the stack's table, the wall clock, .xlsx work in process (the thread
// is already off the server's event loop) — answering events posted by the server. Log lines go back to the
// server, which writes them as its own.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Context } from '../../functions/context';
import { countRequests, DynamoStore } from '../../functions/store/dynamo';
import { createDynamoClient } from '../../functions/store/table';
import { HANDLER_FACTORIES } from './handlers';
import { BULK_NICE, type HandlerThreadData, type HandlerJob, type HandlerOutcome } from './handler-threads';

const port = parentPort!;
const data = workerData as HandlerThreadData;

// Below the server's own thread in the CPU's queue (Linux: a thread is a task with its own nice value): on a
// machine with few cores, bulk work takes what the small requests leave. Elsewhere (no /proc) all stay equal.
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid)) setPriority(tid, BULK_NICE);
} catch {
  // No per-thread priority here.
}

const client = createDynamoClient({ endpoint: data.endpoint });
// Reported with each answer, so that the stack's count (benchmarks) includes the thread's requests.
const requests = countRequests(client);
const ctx: Context = {
  store: new DynamoStore({ client, tableName: data.tableName }),
  now: () => new Date(),
  log: data.log ? (entry) => port.postMessage({ log: entry }) : () => {},
};
const handler = HANDLER_FACTORIES[data.group](() => ctx);

port.on('message', async (job: HandlerJob & { id: number }) => {
  let outcome: HandlerOutcome & { id: number };
  try {
    const result = await handler(job.event as APIGatewayProxyEventV2);
    outcome = { id: job.id, ok: true, result, dynamoRequests: requests.total() };
  } catch (err) {
    // groupHandler answers every error itself; only a bug in it lands here (a 500, as a crashed Lambda's).
    outcome = { id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(outcome);
});
