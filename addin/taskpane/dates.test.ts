// The default 数据截至: what the sheet says, else the passed due date, else today — never a day the server refuses.
import { describe, expect, it } from 'vitest';
import { defaultAsOf } from './dates';

describe('defaultAsOf', () => {
  const today = '2019-11-13';

  it('takes the sheet’s own 数据截至, then its 填报日期', () => {
    expect(defaultAsOf({ meta: { asOf: '2019-11-10', fillDate: '2019-11-12' }, round: '2019-11-04', today })).toEqual({
      date: '2019-11-10',
      from: 'asOf',
    });
    expect(defaultAsOf({ meta: { fillDate: '2019-11-12' }, round: '2019-11-04', today })).toEqual({
      date: '2019-11-12',
      from: 'fillDate',
    });
    expect(defaultAsOf({ meta: { fillDate: today }, today })).toEqual({ date: today, from: 'fillDate' });
  });

  it('without a date in the sheet: the round’s due date once it has passed, else today', () => {
    expect(defaultAsOf({ meta: {}, round: '2019-11-04', today })).toEqual({ date: '2019-11-04', from: 'round' });
    expect(defaultAsOf({ round: '2019-11-14', today })).toEqual({ date: today, from: 'today' });
    expect(defaultAsOf({ round: today, today })).toEqual({ date: today, from: 'today' });
    expect(defaultAsOf({ today })).toEqual({ date: today, from: 'today' });
  });

  it('passes over a sheet date after today', () => {
    expect(defaultAsOf({ meta: { asOf: '2019-11-30', fillDate: '2019-11-12' }, round: '2019-11-14', today })).toEqual({
      date: '2019-11-12',
      from: 'fillDate',
    });
    expect(defaultAsOf({ meta: { asOf: '2019-11-30', fillDate: '2019-12-01' }, round: '2019-11-14', today })).toEqual({
      date: today,
      from: 'today',
    });
    expect(defaultAsOf({ meta: { asOf: '2019-11-30' }, round: '2019-11-04', today })).toEqual({
      date: '2019-11-04',
      from: 'round',
    });
  });
});
