// Whether the task pane can run where it was opened, and what to say when it cannot. The pane needs Excel with
// ExcelApi 1.13 (the manifest's minimum): older builds lack the APIs the adapter relies on, and the Office versions
// before it show add-ins in Internet Explorer 11 or the old Edge, which cannot run the pane's code at all
// (taskpane.html catches those). Every message names the browser page, which needs no Excel.

/** The manifest's minimum (manifest.xml `<Set Name="ExcelApi" MinVersion>`); manifest.test.ts keeps them equal. */
export const MIN_EXCEL_API = '1.13';

export type PaneBlock = 'office-missing' | 'not-excel' | 'old-excel';

/** What Office.onReady reported, and the requirement-set check (absent when office.js never loaded). */
export interface OfficeState {
  loaded: boolean;
  host?: string | null;
  isSetSupported?: (name: string, version: string) => boolean;
}

/** Why the pane cannot run here, or null when it can. */
export function paneBlock(office: OfficeState): PaneBlock | null {
  if (!office.loaded) return 'office-missing';
  if (office.host !== 'Excel') return 'not-excel';
  if (!office.isSetSupported?.('ExcelApi', MIN_EXCEL_API)) return 'old-excel';
  return null;
}

/** The browser page (WPS users) beside the pane: `<site>/browser/index.html` on CloudFront and on `npm run dev`. */
export function browserPageUrl(paneUrl: string): string {
  return new URL('browser/index.html', paneUrl).href;
}

export interface PaneMessage {
  title: string;
  text: string;
  /** The browser page's address, shown as a link after the text. */
  link: string;
}

export function paneMessage(block: PaneBlock, paneUrl: string): PaneMessage {
  const link = browserPageUrl(paneUrl);
  switch (block) {
    case 'office-missing':
      return {
        title: '无法加载 Office 组件',
        text:
          '报送窗格需要微软的 Office 组件(office.js),但它没有加载成功,可能是这台电脑连不上微软的服务器' +
          '(appsforoffice.microsoft.com)。请检查网络后关闭并重新打开窗格;单位内网无法访问微软服务器时,请管理员' +
          '改用自带 office.js 的版本部署加载项。也可以在浏览器中打开网页版上传表格报送:',
        link,
      };
    case 'not-excel':
      return {
        title: '请在 Excel 中打开报送窗格',
        text:
          '这个页面是 Excel 加载项的窗格,需要在 Excel 里使用:在 Excel「开始」选项卡点击「报送附件」。' +
          '没有 Excel(例如使用 WPS)时,请在浏览器中打开网页版,上传表格即可校验和报送:',
        link,
      };
    case 'old-excel':
      return {
        title: '这个版本的 Excel 太旧',
        text:
          `报送窗格需要 Microsoft 365、Office 2021 或更新版本的 Excel,或 Excel 网页版(ExcelApi ${MIN_EXCEL_API})。` +
          '请升级 Office 后再打开;也可以在浏览器中打开网页版,上传表格即可校验和报送:',
        link,
      };
  }
}

/** Shows `message` in place of the pane (plain DOM: nothing of the pane's own code has to work for it). */
export function showPaneMessage(root: HTMLElement, message: PaneMessage): void {
  const doc = root.ownerDocument;
  const box = doc.createElement('div');
  box.setAttribute('role', 'alert');
  box.style.cssText = 'font: 14px/1.6 "Microsoft YaHei", sans-serif; padding: 16px; color: #242424';
  const title = doc.createElement('h1');
  title.style.cssText = 'font-size: 16px; margin: 0 0 8px';
  title.textContent = message.title;
  const text = doc.createElement('p');
  text.style.margin = '0';
  text.textContent = message.text;
  const link = doc.createElement('a');
  link.href = message.link;
  link.target = '_blank';
  link.rel = 'noopener';
  link.textContent = message.link;
  link.style.wordBreak = 'break-all';
  text.append(doc.createElement('br'), link);
  box.append(title, text);
  root.replaceChildren(box);
}
