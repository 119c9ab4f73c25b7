// The phone's USCC check against the same vectors as the server's tests (apitest/testdata/uscc.txt).
const fs = require('fs');
const path = require('path');
const uscc = require('../../src/pages/admin/uscc');

const vectors = fs.readFileSync(path.resolve(__dirname, '../../../apitest/testdata/uscc.txt'), 'utf8')
  .split('\n').filter((l) => l.trim() && !l.startsWith('#')).map((l) => l.split('\t'));

test('the vectors file is there', () => {
  expect(vectors.length).toBeGreaterThanOrEqual(10);
});

test.each(vectors)('%s is %s (%s)', (code, want) => {
  expect(uscc.problem(code) === '' ? 'valid' : 'invalid').toBe(want);
});

test('a wrong check character names the right one', () => {
  expect(uscc.problem('914403001922038217')).toContain('应为 6');
});
