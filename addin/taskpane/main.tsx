// Entry of the Excel task pane: checks that it runs in an Excel that can run it (start.ts; otherwise a Chinese
// message naming the browser page), then wires the Office.js host and the real API client into <App>.
import { createRoot } from 'react-dom/client';
import { ApiClient } from '../api/client';
import { deployedApiUrl } from '../api/deployed-config';
import { ExcelWorkbookHost } from '../excel/host';
import { App, type ApiFactory } from './App';
import { type OfficeState, paneBlock, paneMessage, showPaneMessage } from './start';

async function start(root: HTMLElement, office: OfficeState): Promise<void> {
  const block = paneBlock(office);
  if (block) return showPaneMessage(root, paneMessage(block, window.location.href));
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
}

const root = document.getElementById('root');
if (root) {
  // office.js is a classic script before this module: by now it has either run or failed to load.
  if (typeof Office === 'undefined') void start(root, { loaded: false });
  else
    void Office.onReady((info) =>
      start(root, {
        loaded: true,
        host: info.host ? String(info.host) : null,
        isSetSupported: (name, version) => Office.context.requirements.isSetSupported(name, version),
      }),
    );
}
