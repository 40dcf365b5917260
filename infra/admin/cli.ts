// `npm run admin -- <command>`: see infra/admin/commands.ts and functions/README.md.
import { dropNodeVersionWarning } from '../local/warnings';
import { CampaignRefused, openStore, run, USAGE, UsageError } from './commands';

dropNodeVersionWarning();

let close: (() => Promise<void>) | undefined;
try {
  const opened = await openStore(process.env);
  close = opened.close;
  process.stderr.write(`(${opened.where})\n`);
  await run(process.argv.slice(2), opened.store);
  await close();
} catch (err) {
  await close?.().catch(() => {});
  const usage = err instanceof UsageError;
  const plain = usage || err instanceof CampaignRefused;
  process.stderr.write((plain ? (err as Error).message : `出错:${(err as Error).message}`) + '\n');
  if (usage && err.message !== USAGE) process.stderr.write(USAGE + '\n');
  process.exit(1);
}
