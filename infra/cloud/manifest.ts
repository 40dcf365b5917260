// The production manifest is the development manifest with the dev server's origin replaced by the
// add-in's CloudFront URL; everything else (Id, permissions, requirement sets) stays identical.

export const DEV_ORIGIN = 'https://localhost:3000';

/**
 * Returns `devManifest` with every `https://localhost:3000` replaced by `addinUrl` (no trailing slash).
 * `addinUrl` may be a CDK token: the replacement then happens at deploy time.
 */
export function productionManifest(devManifest: string, addinUrl: string): string {
  if (!devManifest.includes(DEV_ORIGIN)) {
    throw new Error(`manifest.xml 中没有找到开发地址 ${DEV_ORIGIN}，无法生成正式版清单；请确认使用的是开发清单。`);
  }
  return devManifest.split(DEV_ORIGIN).join(addinUrl.replace(/\/+$/, ''));
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
