// The chart's geometry without a canvas: bars in proportion to the figures, lines through them, and
// nothing drawn from missing or bad figures.
const { layout, paint, niceMax } = require('../../src/pages/stats/chart/layout');

const rects = (shapes) => shapes.filter((s) => s.kind === 'rect');

test('column heights are in proportion to the figures', () => {
  const r = rects(layout('bar', ['a', 'b', 'c'], [{ name: 'n', values: [10, 5, 0], color: '#000' }], 300, 200));
  expect(r).toHaveLength(2); // a zero draws no bar
  expect(r[0].h / r[1].h).toBeCloseTo(2);
  expect(r[0].y + r[0].h).toBeCloseTo(r[1].y + r[1].h); // on the same base line
});

test('stacked rows add up along the row', () => {
  const r = rects(layout('hbar', ['甲', '乙'], [{ name: 'x', values: [1, 3], color: 'r' }, { name: 'y', values: [1, 0], color: 'g' }], 300, 60));
  expect(r).toHaveLength(3);
  expect(r[1].x).toBeCloseTo(r[0].x + r[0].w); // the second series starts where the first ends
  expect(r[2].w).toBeCloseTo(r[0].w * 3);
});

test('a line passes through each figure', () => {
  const [axis, line] = layout('line', ['w1', 'w2'], [{ name: 'n', values: [0, 4], color: 'b' }], 200, 100).filter((s) => s.kind === 'line');
  expect(axis.points).toHaveLength(3);
  expect(line.points[0][1]).toBeGreaterThan(line.points[1][1]); // 0 is lower on the screen than 4
});

test('missing, empty and bad figures draw nothing wrong', () => {
  expect(layout('bar', [], [], 300, 200)).toEqual([]);
  expect(layout('bar', ['a'], null, 300, 200)).toEqual([]);
  expect(layout('line', ['a'], [{ name: 'n', values: [1], color: 'b' }], 0, 0)).toEqual([]);
  const shapes = layout('bar', ['a', 'b'], [{ name: 'n', values: [NaN, -3], color: 'b' }], 300, 200);
  expect(rects(shapes)).toHaveLength(0);
  expect(JSON.stringify(shapes)).not.toContain('null'); // no NaN coordinates
  const calls = [];
  const ctx = new Proxy({}, { get: (t, k) => (k in t ? t[k] : (...a) => calls.push([k, ...a])), set: (t, k, v) => ((t[k] = v), true) });
  paint(ctx, layout('bar', ['a'], [{ name: 'n', values: [2], color: '#f00' }], 100, 100));
  expect(calls.some(([k]) => k === 'fillRect')).toBe(true);
  expect(niceMax(7)).toBe(10);
  expect(niceMax(120)).toBe(200);
});
