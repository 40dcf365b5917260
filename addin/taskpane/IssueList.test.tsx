// @vitest-environment jsdom
// What the clerk reads in the issue list: the cell once (on its chip), then the message without repeating it.
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Issue } from '../../forms/types';
import { IssueList, withoutCell } from './IssueList';

afterEach(cleanup);

const issue = (cell: string | undefined, message: string, severity: Issue['severity'] = 'error'): Issue => ({
  code: 'x',
  severity,
  message,
  ...(cell ? { cell } : {}),
});

describe('IssueList', () => {
  it('shows each cell once: the chip, then the message without its leading address', () => {
    const onSelect = vi.fn();
    render(
      <IssueList
        onSelect={onSelect}
        issues={[
          issue('C8', 'C8「详细地址」不能为空,请填写问题所在的详细地址(县、乡镇、村)', 'warning'),
          issue('H6', 'H6「是否办结」应填写:已办结、阶段办结、正在办理'),
          issue('B6:D6', 'B6:D6「属实」3 +「不属实」1 = 4,与「合计」5 不一致'),
        ]}
      />,
    );
    const items = within(screen.getByRole('list', { name: '问题列表' })).getAllByRole('button');
    // Errors first, then warnings.
    expect(items.map((b) => b.textContent)).toEqual([
      'H6「是否办结」应填写:已办结、阶段办结、正在办理',
      'B6:D6「属实」3 +「不属实」1 = 4,与「合计」5 不一致',
      'C8提醒:「详细地址」不能为空,请填写问题所在的详细地址(县、乡镇、村)',
    ]);
    // Screen readers get the same sentence, the address once.
    expect(items.map((b) => b.getAttribute('aria-label'))).toEqual(items.map((b) => b.textContent));
    fireEvent.click(items[0]);
    expect(onSelect).toHaveBeenCalledWith('H6');
  });

  it('keeps a message that names its row or no cell as it is', () => {
    render(
      <IssueList
        onSelect={() => {}}
        issues={[issue(undefined, '第3行「是否办结」应填写:已办结、阶段办结、正在办理')]}
      />,
    );
    expect(screen.getByText('第3行「是否办结」应填写:已办结、阶段办结、正在办理')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('withoutCell', () => {
  it('strips only a leading address equal to the chip', () => {
    expect(withoutCell('H6「是否办结」应填写', 'H6')).toBe('「是否办结」应填写');
    expect(withoutCell('H6:应填写', 'H6')).toBe('应填写');
    expect(withoutCell('H60「是否办结」应填写', 'H6')).toBe('H60「是否办结」应填写');
    expect(withoutCell('B6:D6 之和不一致', 'B6')).toBe('B6:D6 之和不一致');
    expect(withoutCell('「序号」与 A5 重复', 'A7')).toBe('「序号」与 A5 重复');
    expect(withoutCell('A7「序号」与 A5 重复', 'A7')).toBe('「序号」与 A5 重复');
  });
});
