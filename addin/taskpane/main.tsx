// Entry of the Excel task pane: wires the Office.js host and the real API client into <App>.
import { createRoot } from 'react-dom/client';
import { ApiClient } from '../api/client';
import { ExcelWorkbookHost } from '../excel/host';
import { App, type ApiFactory } from './App';

const createApi: ApiFactory = (opts) => new ApiClient({ ...opts, baseUrl: opts.baseUrl || window.location.origin });

Office.onReady(() => {
  const root = document.getElementById('root');
  if (!root) return;
  createRoot(root).render(<App host={new ExcelWorkbookHost()} createApi={createApi} storage={window.localStorage} />);
});
