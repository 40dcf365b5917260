// A local API server that dies (SIGKILL, as a crash or `kill -9` would) at the moment a submission's rows are all
// written and its commit is about to be sent. Run as a child process by functions/store/sweep.test.ts:
//   tsx test/support/crash-server.ts <DynamoDB endpoint> <table name>
// and prints `port <N>` once it listens.
import { createHandler as submissionsHandler } from '../../functions/handlers/submissions';
import { createHandler as campaignsHandler } from '../../functions/handlers/campaigns';
import { createHandler as meHandler } from '../../functions/handlers/me';
import { createHandler as publishHandler } from '../../functions/handlers/publish';
import { createHandler as prefectureHandler } from '../../functions/handlers/prefecture';
import { createHandler as callbacksHandler } from '../../functions/handlers/callbacks';
import type { Context } from '../../functions/context';
import { DynamoStore } from '../../functions/store/dynamo';
import { createDynamoClient } from '../../functions/store/table';
import type { Store } from '../../functions/store/types';
import { createLocalServer } from '../../infra/local/server';

const [endpoint, tableName] = process.argv.slice(2);
const real = new DynamoStore({ client: createDynamoClient({ endpoint }), tableName });
const store: Store = Object.create(real);
store.commit = async () => {
  process.kill(process.pid, 'SIGKILL');
  return new Promise(() => {});
};
const ctx: Context = { store, now: () => new Date('2019-11-04T10:00:00+08:00'), log: () => {} };
const server = createLocalServer({
  handlers: {
    me: meHandler(() => ctx),
    campaigns: campaignsHandler(() => ctx),
    publish: publishHandler(() => ctx),
    submissions: submissionsHandler(() => ctx),
    prefecture: prefectureHandler(() => ctx),
    callbacks: callbacksHandler(() => ctx),
  },
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as { port: number }).port}\n`));
