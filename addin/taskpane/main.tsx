// Entry of the Excel task pane: wires the Office.js host and the real API client into <App>.
import { createRoot } from 'react-dom/client';
import { ApiClient } from '../api/client';
import { ExcelWorkbookHost } from '../excel/host';
import { App, type ApiFactory } from './App';

/** Deployed next to the pane by infra/cloud ({ apiUrl }); absent in development, where /v1 is proxied. */
async function deployedApiUrl(): Promise<string> {
  try {
    const res = await fetch('./config.json', { cache: 'no-store' });
    if (!res.ok) return '';
    const config = (await res.json()) as { apiUrl?: unknown };
    return typeof config.apiUrl === 'string' ? config.apiUrl : '';
  } catch {
    return '';
  }
}

Office.onReady(async () => {
  const root = document.getElementById('root');
  if (!root) return;
  const defaultBaseUrl = (await deployedApiUrl()) || window.location.origin;
  const createApi: ApiFactory = (opts) => new ApiClient({ ...opts, baseUrl: opts.baseUrl || defaultBaseUrl });
  createRoot(root).render(<App host={new ExcelWorkbookHost()} createApi={createApi} storage={window.localStorage} defaultBaseUrl={defaultBaseUrl} />);
});
