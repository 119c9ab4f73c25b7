// Statistics against the real server (the demo park's records): the cards and the charts get exactly
// the figures the API gives; an enterprise sees its own line only; the ledger downloads with the
// token and opens as a spreadsheet.
const fs = require('fs');
const h = require('../support/harness');

const adminPhone = h.phone('stats-admin');
const entPhone = h.phone('stats-enterprise');
let adminToken, entToken, ent;

beforeAll(async () => {
  adminToken = await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
  const demo = (await h.must('GET', '/enterprises?q=' + encodeURIComponent('龙池石化'), undefined, adminToken)).items[0];
  ent = demo;
  entToken = await h.signIn(entPhone, await h.account('enterprise', demo.id));
});

/** chartOf returns the figures a chart component was given. */
function chartOf(page, id) {
  const c = page.querySelector('#' + id);
  if (!c) throw new Error('no chart ' + id);
  return c.instance.data;
}

test('the cards and charts show the figures the API gives', async () => {
  h.use(adminPhone);
  const page = await h.openPage('pages/stats/index');
  await h.waitFor(() => page.data.loaded, 'stats');
  expect(page.data.error).toBe('');
  const o = await h.must('GET', '/stats/overview', undefined, adminToken);
  expect(o.found).toBeGreaterThan(0);
  expect(h.textOf(page.querySelector('#card-found'))).toBe(`${o.found}发现隐患`);
  expect(h.textOf(page.querySelector('#card-overdue'))).toBe(`${o.overdue}逾期`);
  expect(h.textOf(page.querySelector('#card-rate'))).toBe(`${(Math.round(o.rectification_rate * 1000) / 10).toFixed(1)}%整改率`);

  const trend = await h.must('GET', '/stats/trend?weeks=12', undefined, adminToken);
  const t = chartOf(page, 'trend');
  expect(t.type).toBe('line');
  expect(t.labels).toHaveLength(12);
  expect(t.series.map((s) => s.values)).toEqual([trend.items.map((w) => w.found), trend.items.map((w) => w.closed)]);

  const c = chartOf(page, 'category');
  expect(c.labels).toEqual(o.by_category.map((x) => x.label));
  expect(c.series[0].values).toEqual(o.by_category.map((x) => x.count));

  const ranking = await h.must('GET', '/stats/enterprises', undefined, adminToken);
  const r = chartOf(page, 'ranking-chart');
  expect(r.labels).toEqual(ranking.items.slice(0, 10).map((x) => x.enterprise_name));
  expect(r.series[0].values).toEqual(ranking.items.slice(0, 10).map((x) => x.overdue));
  expect(page.querySelectorAll('.rank')).toHaveLength(ranking.items.length);

  const leader = await h.must('GET', '/stats/leader-inspections?weeks=4', undefined, adminToken);
  const l = chartOf(page, 'leader-chart');
  expect(l.series.map((s) => s.values)).toEqual([leader.items.map((x) => x.done), leader.items.map((x) => x.late), leader.items.map((x) => x.missed)]);
  const hyg = chartOf(page, 'hygiene-chart');
  expect(hyg.labels.length).toBeGreaterThan(0);
  const hygiene = await h.must('GET', '/stats/hygiene?weeks=4', undefined, adminToken);
  for (const [i, name] of hyg.labels.entries()) {
    expect(hyg.series[0].values[i]).toBe(hygiene.items.find((x) => x.enterprise_name === name).failed_areas);
  }
});

test('an enterprise sees its own line only', async () => {
  h.use(entPhone);
  const page = await h.openPage('pages/stats/index');
  await h.waitFor(() => page.data.loaded, 'stats');
  const own = await h.must('GET', '/stats/overview', undefined, entToken);
  expect(h.textOf(page.querySelector('#card-found'))).toBe(`${own.found}发现隐患`);
  expect(page.data.ranking.map((x) => x.enterprise_id)).toEqual([ent.id]);
  expect(page.querySelector('#ranking-chart')).toBeFalsy();
  expect(page.data.hygiene.every((x) => x.enterprise_id === ent.id)).toBe(true);
  expect(chartOf(page, 'leader-chart').labels).toEqual([ent.name]);
  const others = (await h.must('GET', '/enterprises?page_size=100', undefined, adminToken)).items.filter((e) => e.id !== ent.id);
  const text = h.textOf(page);
  for (const e of others) expect(text).not.toContain(e.name);
});

test('the ledger downloads with the token and opens as a spreadsheet', async () => {
  h.use(adminPhone);
  const page = await h.openPage('pages/stats/index');
  await h.waitFor(() => page.data.loaded);
  wx.__reset();
  await h.tapButton(page, '#ledger');
  await h.waitFor(() => h.calls('openDocument').length || page.data.error, 'opened');
  expect(page.data.error).toBe('');
  const [dl] = h.calls('downloadFile');
  expect(dl.url).toBe(h.state.api + '/hazards/export');
  expect(dl.header.Authorization).toMatch(/^Bearer /);
  const [doc] = h.calls('openDocument');
  expect(doc.fileType).toBe('xlsx');
  expect(fs.readFileSync(wx.__local(doc.filePath)).subarray(0, 2).toString()).toBe('PK'); // a zip, as .xlsx files are
});
