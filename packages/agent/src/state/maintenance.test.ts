import { activeMaintenanceWindow, describeWindow, type MaintenanceWindow } from './maintenance';

// 2024-01-01 is a Monday. at('mon', '02:00') is that wall-clock time at UTC offset 0.
const dayIndex = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };
function at(day: keyof typeof dayIndex, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return Date.UTC(2024, 0, 1 + dayIndex[day], h, m);
}

const nightly: MaintenanceWindow = { days: ['mon', 'wed'], start: '02:00', end: '04:00' };
const midnight: MaintenanceWindow = { days: ['sat'], start: '23:00', end: '01:30' };
const wholeDay: MaintenanceWindow = { days: ['sun'], start: '06:00', end: '06:00' };

describe('activeMaintenanceWindow', () => {
  test.each<[string, MaintenanceWindow, keyof typeof dayIndex, string, boolean]>([
    ['start is inclusive', nightly, 'mon', '02:00', true],
    ['inside', nightly, 'wed', '03:59', true],
    ['a minute before start', nightly, 'mon', '01:59', false],
    ['end is exclusive', nightly, 'mon', '04:00', false],
    ['a day not listed', nightly, 'tue', '03:00', false],
    ['crossing midnight: before midnight on the listed day', midnight, 'sat', '23:00', true],
    ['crossing midnight: after midnight, the next day', midnight, 'sun', '00:30', true],
    ['crossing midnight: end exclusive on the next day', midnight, 'sun', '01:30', false],
    ['crossing midnight: early hours of the listed day itself are outside', midnight, 'sat', '00:30', false],
    ['crossing midnight: before start on the listed day', midnight, 'sat', '22:59', false],
    ['start = end is a full day: from start', wholeDay, 'sun', '06:00', true],
    ['start = end is a full day: into the next morning', wholeDay, 'mon', '05:59', true],
    ['start = end is a full day: ends at end', wholeDay, 'mon', '06:00', false],
    ['start = end is a full day: before start', wholeDay, 'sun', '05:59', false],
  ])('%s', (_name, w, day, time, inside) => {
    expect(activeMaintenanceWindow([w], at(day, time), 0)).toBe(inside ? w : undefined);
  });

  test('windows are in local time: the UTC offset moves them, across a day boundary too', () => {
    // 01:30 UTC on Monday is 03:30 on Monday at UTC+2, inside; at UTC-2 it is Sunday 23:30, outside.
    expect(activeMaintenanceWindow([nightly], at('mon', '01:30'), 120)).toBe(nightly);
    expect(activeMaintenanceWindow([nightly], at('mon', '01:30'), -120)).toBeUndefined();
    // Sunday 01:00 UTC is Sunday 00:00 at UTC-1, inside Saturday's tail; at UTC+1:30 Sunday
    // 00:00 UTC is 01:30 local, the exclusive end.
    expect(activeMaintenanceWindow([midnight], at('sun', '01:00'), -60)).toBe(midnight);
    expect(activeMaintenanceWindow([midnight], at('sun', '00:00'), 90)).toBeUndefined();
  });

  test('the first matching window of several; none configured means never', () => {
    expect(activeMaintenanceWindow([midnight, nightly], at('wed', '03:00'), 0)).toBe(nightly);
    expect(activeMaintenanceWindow([], at('wed', '03:00'), 0)).toBeUndefined();
  });

  test('describeWindow', () => expect(describeWindow(midnight)).toBe('sat 23:00–01:30'));
});
