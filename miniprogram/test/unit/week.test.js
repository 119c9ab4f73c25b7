// ISO weeks on the park's calendar, as the server names them.
const week = require('../../src/utils/week');

test.each([
  ['2026-11-30', '2026-W49'],
  ['2026-12-06', '2026-W49'],
  ['2021-01-03', '2020-W53'],
  ['2024-12-30', '2025-W01'],
  ['2026-01-01', '2026-W01'],
])('%s is in %s', (d, w) => {
  expect(week.weekOf(d)).toBe(w);
});

test('Mondays, shifts across years and labels', () => {
  expect(week.mondayOf('2026-W49')).toBe('2026-11-30');
  expect(week.mondayOf('2020-W53')).toBe('2020-12-28');
  expect(week.shift('2026-W01', -1)).toBe('2025-W52');
  expect(week.shift('2020-W53', 1)).toBe('2021-W01');
  expect(week.dayOf('2026-W49', 5)).toBe('2026-12-04');
  expect(week.label('2026-W49')).toBe('2026年第49周（11月30日–12月6日）');
});
