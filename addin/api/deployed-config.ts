// infra/cloud deploys a config.json ({ apiUrl }) beside the pane and the browser page, because on AWS the API
// lives on another origin than the CloudFront site. Locally there is none: the page calls its own origin.
export async function deployedApiUrl(): Promise<string> {
  try {
    const res = await fetch('./config.json', { cache: 'no-store' });
    if (!res.ok) return '';
    const config = (await res.json()) as { apiUrl?: unknown };
    return typeof config.apiUrl === 'string' ? config.apiUrl : '';
  } catch {
    return '';
  }
}
