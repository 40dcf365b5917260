// Entry of the browser page (WPS users, tests): the same task pane as in Excel, beside an uploaded .xlsx that
// stands in for the workbook. Served by `npm start` on the API's own origin, so the pane calls `/v1` directly;
// on AWS it sits beside a config.json that names the API.
import { createRoot } from 'react-dom/client';
import { ApiClient } from '../api/client';
import { deployedApiUrl } from '../api/deployed-config';
import { App, type ApiFactory } from '../taskpane/App';
import { saveFileInBrowser } from './download';
import { BrowserWorkbookHost } from './host';
import { SheetView } from './SheetView';
import './page.css';

const host = new BrowserWorkbookHost(saveFileInBrowser);

function Page({ createApi, defaultBaseUrl }: { createApi: ApiFactory; defaultBaseUrl: string }) {
  return (
    <div className="page">
      <div className="page-workbook">
        <h1 className="page-title">
          报送 · 网页版 — 用 WPS 或 Excel 填好附件后上传,校验、提交和下载汇总表都在这里完成
        </h1>
        <SheetView host={host} />
      </div>
      <aside className="page-pane" aria-label="报送任务窗格">
        <App
          host={host}
          createApi={createApi}
          storage={window.localStorage}
          defaultBaseUrl={defaultBaseUrl}
          initialFocus={() => document.querySelector<HTMLElement>('[data-upload-button]')}
        />
      </aside>
    </div>
  );
}

// Locally the API shares the page's origin; on AWS config.json names the API's own origin.
void deployedApiUrl().then((deployed) => {
  const defaultBaseUrl = deployed || window.location.origin;
  const createApi: ApiFactory = (opts) => new ApiClient({ ...opts, baseUrl: opts.baseUrl || defaultBaseUrl });
  createRoot(document.getElementById('root')!).render(<Page createApi={createApi} defaultBaseUrl={defaultBaseUrl} />);
});
