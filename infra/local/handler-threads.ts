// The local server answers every user from one event loop; on AWS each handler group is a Lambda of its own and
// every request gets an instance to itself. So that one user's 20,000-row upload (parsing, checking and packing
// its rows) or an 80,000-row consolidated pull does not make everyone else's small requests (GET /v1/me, the
// status board) wait, the groups that do such work run on threads of their own, one per group, with the same
// handlers as in process: the server posts the API Gateway event, the thread answers the Lambda result. The
// handlers never know; only events and results (plain data) cross. A thread that dies fails the requests it held
// (500, as API Gateway answers for a crashed function) and the next request starts a new one (ts-thread.ts).
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { HandlerGroup } from '../../functions/routes';
import type { LambdaHandler } from './server';
import { JobThread } from './ts-thread';

/** The groups whose requests can hold a CPU for a second or more: uploads and pulls of rows, exports, samples. */
export const THREADED_GROUPS: readonly HandlerGroup[] = ['submissions', 'prefecture', 'callbacks'];

/** The threads' nice value (0 = the server's, 19 = lowest). */
export const BULK_NICE = 10;

export interface HandlerThreadData {
  group: HandlerGroup;
  /** DynamoDB Local's endpoint and the table. */
  endpoint: string;
  tableName: string;
  /** Whether the thread sends its log lines back (a quiet stack drops them). */
  log: boolean;
}

export interface HandlerJob {
  event: APIGatewayProxyEventV2;
}

export type HandlerOutcome =
  | {
      ok: true;
      result: APIGatewayProxyResultV2;
      /** DynamoDB requests the thread has made so far (after this job). */
      dynamoRequests: number;
    }
  | { ok: false; message: string };

export class HandlerThread {
  private readonly thread: JobThread<HandlerJob, HandlerOutcome>;

  constructor(data: HandlerThreadData, log: (entry: Record<string, unknown>) => void) {
    this.thread = new JobThread(new URL('./handler-thread.ts', import.meta.url), {
      workerData: data,
      stoppedMessage: `the ${data.group} handler thread stopped`,
      onOther: (message) => log(message.log as Record<string, unknown>),
    });
    // Started with the stack: the first request does not wait for the thread to load the handlers.
    this.thread.warm();
  }

  /** DynamoDB requests the thread had made by its latest answer (benchmarks count them with the server's). */
  dynamoRequests = 0;

  /** The group's LambdaHandler as the server calls it; throws (the server answers 500) if the thread fails. */
  handle: LambdaHandler = async (event) => {
    const outcome = await this.thread.run({ event });
    if (!outcome.ok) throw new Error(outcome.message);
    this.dynamoRequests = Math.max(this.dynamoRequests, outcome.dynamoRequests);
    return outcome.result;
  };

  close = (): Promise<void> => this.thread.close();
}
