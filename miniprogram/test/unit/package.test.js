// The code package as DevTools' code-quality check sees it: no file that nothing loads (无依赖文件),
// every reference resolves, and the main package (what is not under a subpackage root) stays far
// under WeChat's 2 MB limit and the check's 1.5 MB advice.
const fs = require('fs');
const path = require('path');
const deps = require('../../scripts/deps');

const src = path.resolve(__dirname, '../../src');
const app = JSON.parse(fs.readFileSync(path.join(src, 'app.json'), 'utf8'));
const reached = deps.app(src);

test('every file under src/ is loaded by something, and every reference resolves', () => {
  expect(reached.missing).toEqual([]);
  expect(deps.walk(src).filter((f) => !reached.files.has(f)).map((f) => path.relative(src, f))).toEqual([]);
});

test('the main package stays small', () => {
  const roots = app.subPackages.map((sp) => path.join(src, sp.root) + path.sep);
  const main = deps.walk(src).filter((f) => !roots.some((r) => f.startsWith(r)));
  const bytes = main.reduce((n, f) => n + fs.statSync(f).size, 0);
  expect(bytes).toBeLessThan(400 * 1024);
  for (const f of main) expect([path.relative(src, f), fs.statSync(f).size < 200 * 1024]).toEqual([path.relative(src, f), true]);
});
