// @vitest-environment jsdom
// Where the pane cannot run it says so in Chinese, names the browser page and what to do, instead of a blank pane or
// an Excel host whose every call fails. The real office.js outside Office: test/e2e/outside-office.test.ts.
import { describe, expect, it } from 'vitest';
import { paneBlock, paneMessage, showPaneMessage } from './start';

const PANE = 'https://d111111abcdef8.cloudfront.net/taskpane.html?_host_Info=Excel';
const supports = (max: number) => (name: string, version: string) =>
  name === 'ExcelApi' && Number(version.split('.')[1]) <= max;

describe('paneBlock', () => {
  it('runs in Excel with ExcelApi 1.13 (Microsoft 365 from version 2102, Office 2021, Excel on the web)', () => {
    expect(paneBlock({ loaded: true, host: 'Excel', isSetSupported: supports(13) })).toBeNull();
  });

  it('does not run when office.js did not load, outside Office, in another Office app, or in an older Excel', () => {
    expect(paneBlock({ loaded: false })).toBe('office-missing');
    expect(paneBlock({ loaded: true, host: null })).toBe('not-excel');
    expect(paneBlock({ loaded: true, host: 'Word', isSetSupported: supports(18) })).toBe('not-excel');
    expect(paneBlock({ loaded: true, host: 'Excel', isSetSupported: supports(12) })).toBe('old-excel');
  });
});

describe('the messages', () => {
  it('name the browser page beside the pane and say what to do, in Chinese', () => {
    for (const block of ['office-missing', 'not-excel', 'old-excel'] as const) {
      const m = paneMessage(block, PANE);
      expect(m.link).toBe('https://d111111abcdef8.cloudfront.net/browser/index.html');
      expect(m.text).toMatch(/请/);
      expect(m.title + m.text).not.toMatch(/[A-Za-z]+ [A-Za-z]+ [A-Za-z]+/); // no English error text
    }
    expect(paneMessage('office-missing', PANE).text).toContain('自带 office.js');
    expect(paneMessage('old-excel', PANE).text).toContain('Office 2021');
  });

  it('are shown as an alert with a link, replacing the loading text', () => {
    document.body.innerHTML = '<div id="root"><p>正在加载报送窗格…</p></div>';
    const root = document.getElementById('root')!;
    showPaneMessage(root, paneMessage('not-excel', PANE));
    expect(root.querySelector('[role="alert"] h1')!.textContent).toBe('请在 Excel 中打开报送窗格');
    expect(root.querySelector('a')!.getAttribute('href')).toBe(
      'https://d111111abcdef8.cloudfront.net/browser/index.html',
    );
    expect(root.textContent).not.toContain('正在加载');
  });
});
