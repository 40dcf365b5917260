// `npm run manifest:prod -- <AddinUrl>`: writes dist/manifest.prod.xml from manifest.xml for sideloading
// or for the Microsoft 365 admin center's integrated apps. Microsoft's office-addin-manifest then reads the written
// file back, as Office tools will, and the pane's address it finds is what the operator is shown.
import { OfficeAddinManifest } from 'office-addin-manifest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addinUrlProblem, DEV_ORIGIN, productionManifest } from './manifest.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const url = process.argv[2];
const problem = addinUrlProblem(url);
if (problem) {
  process.stderr.write(`${problem}\n用法：npm run manifest:prod -- <AddinUrl>\n`);
  process.exit(1);
}

const source = join(root, 'manifest.xml');
const target = join(root, 'dist', 'manifest.prod.xml');
let devManifest: string;
try {
  devManifest = readFileSync(source, 'utf8');
} catch {
  process.stderr.write(`找不到 ${source}：请在仓库根目录运行，且不要删除开发清单 manifest.xml。\n`);
  process.exit(1);
}
try {
  const xml = productionManifest(devManifest, url!);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, xml);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exit(1);
}
const written = await OfficeAddinManifest.readManifestFile(target);
const pane = written.defaultSettings?.sourceLocation ?? '';
if ([pane, written.iconUrl, ...(written.appDomains ?? [])].some((u) => !u || u.startsWith(DEV_ORIGIN))) {
  process.stderr.write(`生成的清单仍指向开发地址 ${DEV_ORIGIN}（任务窗格 ${pane}）；请检查 manifest.xml。\n`);
  process.exit(1);
}
process.stdout.write(`已生成正式版清单：${target}\n加载项 Id ${written.id}，任务窗格 ${pane}\n`);
