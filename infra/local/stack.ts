// The embedded stack: DynamoDB Local + the table + seed data + the same Lambda handlers behind a local HTTP
// server. `npm start` runs it on a data directory; tests run it in memory on free ports.
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { jsonLineLogger, type Context } from '../../functions/context';
import { sweepAbandonedRows } from '../../functions/domain/sweep';
import { countRequests, DynamoStore } from '../../functions/store/dynamo';
import { createDynamoClient, DEFAULT_TABLE_NAME, ensureTable } from '../../functions/store/table';
import type { Store } from '../../functions/store/types';
import type { HandlerGroup } from '../../functions/routes';
import { startDynamoLocal } from './dynamodb-local';
import { HANDLER_FACTORIES } from './handlers';
import { HandlerThread, THREADED_GROUPS } from './handler-threads';
import { demoTokens, seedCampaigns } from './seed';
import type { PostureOptions } from './posture';
import { createLocalServer, type LambdaHandler } from './server';
import { XlsxWorker } from './xlsx-worker';

export interface LocalStackOptions {
  /** HTTP port of the API; 0 = a free port. Default 8787. */
  port?: number;
  /** Where DynamoDB Local keeps its file and demo-tokens.json is written. Default `.data`. */
  dataDir?: string;
  /** Keep nothing on disk (tests). */
  inMemory?: boolean;
  /** DynamoDB Local's port; 0/absent = a free port. */
  dynamodbPort?: number;
  /** No request logs on stderr. */
  quiet?: boolean;
  /** Served at `/` when given. */
  staticDir?: string;
  /** The handlers' clock (tests). */
  now?: () => Date;
  /** CORS origins and accepted Host names of the HTTP server (infra/local/posture.ts). */
  posture?: PostureOptions;
  /**
   * Seed the demo campaign around today with its submissions (infra/local/demo.ts). Default: when on disk
   * (`npm start`); in-memory test stacks see the 2019 campaign alone unless they ask.
   */
  demo?: boolean;
  /** Where the handlers' log lines go instead of stderr (tests read them). */
  log?: (entry: Record<string, unknown>) => void;
  /**
   * The handler groups that do heavy work (uploads, pulls of rows, exports) on threads of their own, so that
   * small requests answer meanwhile (handler-threads.ts). `npm start` sets it; those threads keep the wall
   * clock, so it does not go with `now`. Default: every handler in process.
   */
  threads?: boolean;
}

export interface LocalStack {
  apiUrl: string;
  tokens: Record<string, string>;
  stop(): Promise<void>;
  /** DynamoDB Local's endpoint (http://127.0.0.1:N). */
  dynamodbEndpoint: string;
  store: Store;
  /**
   * DynamoDB requests made so far (benchmarks): `total` includes the handler threads' (as of their latest
   * answers), `byCommand` only the server's own.
   */
  dynamoRequests: { total: () => number; byCommand: Record<string, number> };
  /** Where the demo tokens were written, when on disk. */
  tokensFile?: string;
}

export async function startLocalStack(opts: LocalStackOptions = {}): Promise<LocalStack> {
  if (opts.threads && opts.now)
    throw new Error('handler threads keep the wall clock: `threads` does not go with `now`');
  const dataDir = resolve(opts.dataDir ?? '.data');
  const dynamo = await startDynamoLocal({ port: opts.dynamodbPort, dbPath: opts.inMemory ? undefined : dataDir });
  let server: Server | undefined;
  try {
    const client = createDynamoClient({ endpoint: dynamo.endpoint });
    const ownRequests = countRequests(client);
    await ensureTable(client, DEFAULT_TABLE_NAME);
    const store = new DynamoStore({ client, tableName: DEFAULT_TABLE_NAME });
    // The demo's rounds follow the wall clock at seeding time, not the handlers' (possibly injected) one.
    await seedCampaigns(store, { demo: opts.demo ?? !opts.inMemory });
    const tokensFile = opts.inMemory ? undefined : join(dataDir, 'demo-tokens.json');
    const tokens = await demoTokens(store, tokensFile);

    // One server for every user: .xlsx reading and writing run on a worker thread, off the event loop.
    const xlsx = new XlsxWorker();
    const ctx: Context = {
      store,
      now: opts.now ?? (() => new Date()),
      log: opts.log ?? (opts.quiet ? () => {} : jsonLineLogger),
      xlsx,
    };
    const getContext = (): Context => ctx;
    // Rows left by a crash of the previous run (between rows and commit) go now, not at the next submit.
    void sweepAbandonedRows(ctx);
    const threads = opts.threads
      ? THREADED_GROUPS.map(
          (group) =>
            [
              group,
              new HandlerThread(
                { group, endpoint: dynamo.endpoint, tableName: DEFAULT_TABLE_NAME, log: !opts.quiet || !!opts.log },
                ctx.log,
              ),
            ] as const,
        )
      : [];
    const handlers = Object.fromEntries(
      Object.entries(HANDLER_FACTORIES).map(([group, create]) => [group, create(getContext)]),
    ) as Record<HandlerGroup, LambdaHandler>;
    for (const [group, thread] of threads) handlers[group] = thread.handle;
    server = createLocalServer({
      handlers,
      staticDir: opts.staticDir,
      posture: opts.posture,
    });
    const listening = server;
    const port = await new Promise<number>((done, fail) => {
      listening.once('error', fail);
      listening.listen(opts.port ?? 8787, '127.0.0.1', () => done((listening.address() as { port: number }).port));
    });
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> =>
      (stopped ??= (async () => {
        await new Promise<void>((done) => {
          listening.close(() => done());
          listening.closeAllConnections();
        });
        client.destroy();
        await Promise.all([xlsx.close(), ...threads.map(([, thread]) => thread.close())]);
        await dynamo.stop();
      })());
    return {
      apiUrl: `http://127.0.0.1:${port}`,
      tokens,
      stop,
      dynamodbEndpoint: dynamo.endpoint,
      store,
      dynamoRequests: {
        byCommand: ownRequests.byCommand,
        total: () => ownRequests.total() + threads.reduce((n, [, thread]) => n + thread.dynamoRequests, 0),
      },
      tokensFile,
    };
  } catch (err) {
    server?.close();
    await dynamo.stop();
    throw err;
  }
}
