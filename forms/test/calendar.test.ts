import { describe, expect, it } from 'vitest';
import { campaignRounds, dueDeadline, HUANGNAN_2019, isLate, isRound, nextDueRound, type Campaign } from '../index';

describe('reporting calendar', () => {
  it('the 2019 黄南州 campaign reports on the 4th, 14th and 24th from 10-24 to 12-24', () => {
    expect(campaignRounds(HUANGNAN_2019)).toEqual([
      '2019-10-24',
      '2019-11-04',
      '2019-11-14',
      '2019-11-24',
      '2019-12-04',
      '2019-12-14',
      '2019-12-24',
    ]);
  });

  it('a round closes at the end of its due day in Shanghai (16:00 UTC)', () => {
    expect(dueDeadline('2019-11-14').toISOString()).toBe('2019-11-14T16:00:00.000Z');
    expect(isLate('2019-11-14', new Date('2019-11-14T23:59:59+08:00'))).toBe(false);
    expect(isLate('2019-11-14', new Date('2019-11-15T00:00:00+08:00'))).toBe(true);
    // 01:00 in Shanghai on the 15th is still the 14th in UTC, but late.
    expect(isLate('2019-11-14', new Date('2019-11-14T17:00:00Z'))).toBe(true);
  });

  it('the next due round is the first whose day has not ended', () => {
    expect(nextDueRound(HUANGNAN_2019, new Date('2019-10-01T00:00:00+08:00'))).toBe('2019-10-24');
    expect(nextDueRound(HUANGNAN_2019, new Date('2019-11-14T20:00:00+08:00'))).toBe('2019-11-14');
    expect(nextDueRound(HUANGNAN_2019, new Date('2019-11-15T00:30:00+08:00'))).toBe('2019-11-24');
    expect(nextDueRound(HUANGNAN_2019, new Date('2019-11-25T09:00:00+08:00'))).toBe('2019-12-04');
    expect(nextDueRound(HUANGNAN_2019, new Date('2019-12-25T00:00:00+08:00'))).toBeNull();
  });

  it('knows which dates are rounds', () => {
    expect(isRound(HUANGNAN_2019, '2019-11-04')).toBe(true);
    expect(isRound(HUANGNAN_2019, '2019-11-05')).toBe(false);
    expect(isRound(HUANGNAN_2019, '2019-10-14')).toBe(false); // before the campaign
    expect(isRound(HUANGNAN_2019, '2019/11/04')).toBe(false);
  });

  it('works for any window and due days, across a year end and a short month', () => {
    const c: Campaign = {
      id: 'x',
      name: '测试',
      start: '2020-01-25',
      end: '2020-03-01',
      dueDays: [1, 30],
      timeZone: 'Asia/Shanghai',
    };
    expect(campaignRounds(c)).toEqual(['2020-01-30', '2020-02-01', '2020-03-01']);
  });
});
