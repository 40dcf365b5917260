// The production manifest is the development manifest (manifest.xml, served by https://localhost:3000) moved to the
// add-in's CloudFront origin and given its own add-in Id; permissions, requirement sets and commands stay identical.
// The edit is made on the parsed XML, element by element (no text replacement), and synchronously, because the CDK
// stack writes the same manifest at synth time with the origin still a deploy-time token. office-addin-manifest
// cannot do this part (it rewrites only Id and DisplayName, asynchronously, through files, and drops the comments);
// it reads the result back in `npm run manifest:prod` and in the tests.
import { JSDOM } from 'jsdom';

export const DEV_ORIGIN = 'https://localhost:3000';

/**
 * The production add-in's Id. Different from the development one so that a developer's sideloaded pane and the
 * deployed one can be installed side by side; fixed, so that every deploy updates the same add-in in the
 * Microsoft 365 admin center instead of adding a new one.
 */
export const PRODUCTION_ADDIN_ID = '6adf9011-5b2c-4e5c-8679-6415857e4b7b';

/** Elements whose DefaultValue is a URL of the pane's site (icons, pages, the function file, help links). */
const URL_ATTRIBUTE = 'DefaultValue';

/**
 * Returns `devManifest` with every URL on https://localhost:3000 (DefaultValue attributes and AppDomain entries)
 * moved to `addinUrl` (no trailing slash) and the production Id. `addinUrl` may be a CDK token: it is then
 * resolved at deploy time.
 */
export function productionManifest(devManifest: string, addinUrl: string): string {
  const origin = addinUrl.replace(/\/+$/, '');
  const notDev = `manifest.xml 中没有找到开发地址 ${DEV_ORIGIN}，无法生成正式版清单；请确认使用的是开发清单。`;
  let window: JSDOM['window'];
  try {
    window = new JSDOM(devManifest, { contentType: 'application/xml' }).window;
  } catch (err) {
    throw new Error(`manifest.xml 不是有效的 XML（${(err as Error).message.split('\n')[0]}），无法生成正式版清单。`, {
      cause: err,
    });
  }
  const root = window.document.documentElement;
  const rehost = (url: string | null): string | null =>
    url === DEV_ORIGIN || url?.startsWith(`${DEV_ORIGIN}/`) ? origin + url.slice(DEV_ORIGIN.length) : null;

  let moved = 0;
  for (const element of root.querySelectorAll(`[${URL_ATTRIBUTE}]`)) {
    const url = rehost(element.getAttribute(URL_ATTRIBUTE));
    if (url === null) continue;
    element.setAttribute(URL_ATTRIBUTE, url);
    moved++;
  }
  for (const domain of root.getElementsByTagName('AppDomain')) {
    const url = rehost(domain.textContent?.trim() ?? null);
    if (url === null) continue;
    domain.textContent = url;
    moved++;
  }
  if (moved === 0) throw new Error(notDev);
  const id = root.getElementsByTagName('Id')[0];
  if (id) id.textContent = PRODUCTION_ADDIN_ID;

  // The development manifest's header comment names the dev server; the production one says where it came from.
  const header =
    '<!-- 报送 Excel 加载项清单（正式版）：由开发清单 manifest.xml 生成（npm run manifest:prod 或部署），请勿手工修改。 -->';
  const body = new window.XMLSerializer().serializeToString(root);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${header}\n${body}\n`;
}

/** Checks a URL typed on the command line; returns a Chinese message saying what to type instead, or null. */
export function addinUrlProblem(url: string | undefined): string | null {
  const hint = '请填写部署输出中的 AddinUrl，例如 https://d1234abcd.cloudfront.net';
  if (!url) return `缺少加载项地址。${hint}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `「${url}」不是有效的网址。${hint}`;
  }
  if (parsed.protocol !== 'https:') return `加载项地址必须以 https:// 开头（Excel 只加载 HTTPS 页面）。${hint}`;
  if (parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1') {
    return `「${url}」是本机开发地址，正式版清单需要云端地址。${hint}`;
  }
  if (parsed.pathname !== '/' || parsed.search || parsed.hash) return `加载项地址只填写域名部分，不要带路径。${hint}`;
  return null;
}
