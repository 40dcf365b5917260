// Text an .xlsx cannot hold (DESIGN §11): 校验 names the cell, and the writer never produces a file that fails to open.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { parseSheet } from '../parse';
import { renderSheet } from '../render';
import { FUJIAN1, type Fujian1Row } from './forms-2019';
import { cellTextProblem, isPlainText, MAX_CELL_TEXT, xmlInvalidIndex, xmlSafeText } from '../xml-text';
import { readXlsxSheets } from '../xlsx-read';
import { writeXlsx } from '../xlsx-write';

const row = (over: Partial<Fujian1Row> = {}): Fujian1Row => ({
  seq: 1,
  prefecture: '黄南州',
  address: '同仁县隆务镇',
  complaint: '砂石料场噪声扰民',
  currentState: '已停产',
  measures: '一是关停;二是复绿',
  progress: '',
  closure: '正在办理',
  ...over,
});

const BAD = ['\ufffe', '\uffff', '\ud800', '\udfff', '\u0000', '\u0007', '\u000b', '\u000c', '\u001f'];

describe('xml-text', () => {
  it('finds U+FFFE, U+FFFF, lone surrogates and C0 controls other than tab, newline and CR', () => {
    for (const bad of BAD) expect(xmlInvalidIndex(`整改${bad}措施`)).toBe(2);
    expect(xmlInvalidIndex('制表\t换行\n回车\r表情😀𠀋\ue000\ufffd')).toBe(-1);
    // A high surrogate followed by a low one is one character; reversed they are two lone halves.
    expect(xmlInvalidIndex('\udc00\ud800')).toBe(0);
  });

  it('limits a cell to Excel’s 32,767 characters', () => {
    expect(cellTextProblem('a'.repeat(MAX_CELL_TEXT))).toBeNull();
    expect(cellTextProblem('a'.repeat(MAX_CELL_TEXT + 1))?.code).toBe('text.too_long');
  });

  it('takes the one-pass path only for text that needs no other check', () => {
    const samples = [
      '同仁县隆务镇,锅炉冒黑烟(已整改)。',
      'ｆｕｌｌ－ｗｉｄｔｈ：１２３',
      'a\tb',
      'a\nb',
      'a\r\nb',
      '\u0007',
      '\ufffe',
      '\ud83d\ude00',
      '\ud83d',
      'x'.repeat(MAX_CELL_TEXT + 1),
    ];
    for (const text of samples) {
      const needsNothing = cellTextProblem(text) === null && !/[\r\n\t]/.test(text) && !/[\ud800-\udfff]/.test(text);
      expect(isPlainText(text), JSON.stringify(text.slice(0, 20))).toBe(needsNothing);
    }
  });

  it('校验 reports the character with its cell, and the row is not usable', () => {
    const sheet = renderSheet(FUJIAN1, [row(), row({ seq: 2, currentState: '已从PDF复制\u0002的文字' })]);
    const parsed = parseSheet(sheet.values, FUJIAN1);
    const issues = parsed.issues.filter((i) => i.code === 'text.invalid_char');
    expect(issues).toHaveLength(1);
    expect(issues[0].cell).toMatch(/^E\d+$/);
    expect(issues[0].message).toMatch(new RegExp(`^${issues[0].cell}「目前整改工作现状」第 8 个字符处.*U\\+0002`));
    expect(issues[0].severity).toBe('error');
  });

  it('the writer replaces what XML cannot hold, so the file stays well-formed and opens', async () => {
    const bytes = await writeXlsx([renderSheet(FUJIAN1, [row({ complaint: `噪声${BAD.join('')}扰民` })])]);
    const zip = await JSZip.loadAsync(bytes);
    const dir = mkdtempSync(join(tmpdir(), 'baosong-xmltext-'));
    for (const part of Object.values(zip.files).filter((f) => f.name.endsWith('.xml'))) {
      const path = join(dir, part.name.replace(/\//g, '_'));
      writeFileSync(path, await part.async('uint8array'));
      execFileSync('xmllint', ['--noout', '--nonet', path], { stdio: 'pipe' });
    }
    const [read] = await readXlsxSheets(bytes);
    expect(read.grid.flat()).toContain(`噪声${xmlSafeText(BAD.join(''))}扰民`);
  });
});
