// Entry of the Excel task pane: wires the Office.js host and the real API client into <App>.
import { createRoot } from 'react-dom/client';
import { ApiClient } from '../api/client';
import { deployedApiUrl } from '../api/deployed-config';
import { ExcelWorkbookHost } from '../excel/host';
import { App, type ApiFactory } from './App';

Office.onReady(async () => {
  const root = document.getElementById('root');
  if (!root) return;
  const defaultBaseUrl = (await deployedApiUrl()) || window.location.origin;
  const createApi: ApiFactory = (opts) => new ApiClient({ ...opts, baseUrl: opts.baseUrl || defaultBaseUrl });
  createRoot(root).render(
    <App
      host={new ExcelWorkbookHost()}
      createApi={createApi}
      storage={window.localStorage}
      defaultBaseUrl={defaultBaseUrl}
    />,
  );
});
