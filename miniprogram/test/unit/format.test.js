// Instants are shown in park time, from the server's timestamps (whatever their fraction or offset) and
// from the phone's clock alike, and the phone's own time zone changes nothing.
const format = require('../../src/utils/format');

afterEach(() => jest.restoreAllMocks());

/** at makes Date.now() the instant of an RFC 3339 timestamp. */
const at = (t) => jest.spyOn(Date, 'now').mockReturnValue(new Date(t).getTime());

test('the phone is in another zone (jest.config.js)', () => {
  expect(new Date(Date.UTC(2026, 10, 27)).getTimezoneOffset()).toBe(300);
});

test.each([
  ['2026-11-27T02:34:00+08:00', '11月27日 02:34'],
  ['2026-11-27T02:34:59.123456789+08:00', '11月27日 02:34'],
  ['2026-11-26T18:34:00Z', '11月27日 02:34'],
  ['2026-11-26T18:34:00.5Z', '11月27日 02:34'],
  ['2026-03-06T14:05:00+08:00', '3月6日 14:05'],
  ['2025-12-31T23:59:00+08:00', '2025年12月31日 23:59'],
  [Date.UTC(2026, 10, 26, 18, 34), '11月27日 02:34'],
])('%s is shown as %s in the park', (t, want) => {
  at('2026-12-01T12:00:00+08:00');
  expect(format.dateTime(t)).toBe(want);
});

test('the year is left out in the park’s current year, which turns at the park’s midnight', () => {
  at('2026-12-31T16:30:00Z'); // 00:30 on 1 January 2027 in the park
  expect(format.dateTime('2027-01-01T00:10:00+08:00')).toBe('1月1日 00:10');
  expect(format.dateTime('2026-12-31T23:50:00+08:00')).toBe('2026年12月31日 23:50');
});

test('park dates of instants, and today', () => {
  expect(format.parkDate('2026-11-26T17:00:00Z')).toBe('2026-11-27');
  expect(format.parkDate('2026-11-27T00:30:00+08:00')).toBe('2026-11-27');
  expect(format.parkToday(new Date(Date.UTC(2026, 10, 26, 16, 0)))).toBe('2026-11-27');
  at('2026-11-26T15:59:00Z');
  expect(format.parkToday()).toBe('2026-11-26');
});

test('anything that is not an instant is shown as it is', () => {
  expect(format.dateTime('')).toBe('');
  expect(format.dateTime(undefined)).toBe('');
  expect(format.dateTime('2026-11-27')).toBe('2026-11-27');
  expect(format.dateTime('待定')).toBe('待定');
  expect(format.parkDate('待定')).toBe('');
  expect(Number.isNaN(format.instant('2026-11-27T02:34'))).toBe(true);
});
