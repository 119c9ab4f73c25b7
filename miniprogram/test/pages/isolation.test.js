// An enterprise sees nothing of another enterprise anywhere: its phone walks every page of both parts
// after the other enterprise has records in every routine, and no page shows the other's name.
const h = require('../support/harness');
const week = require('../../src/utils/week');
const format = require('../../src/utils/format');

const phone = h.phone('isolation-enterprise');
let mine, other, otherToken;

beforeAll(async () => {
  mine = await h.enterprise('本企业隔离');
  other = await h.enterprise('他企业隔离');
  await h.signIn(phone, await h.account('enterprise', mine.id));
  // The other enterprise has a failed hygiene check (with its hazard) and a leader inspection.
  const inspToken = await h.token(await h.account('inspector'));
  otherToken = await h.token(await h.account('enterprise', other.id));
  const api = require('../../src/utils/api');
  h.use(h.phone('isolation-fixtures'));
  wx.setStorageSync('parksafe.session', { accessToken: inspToken, refreshToken: '', user: {} });
  const ph = await api.upload({ path: h.photoFile, takenAt: new Date().toISOString(), key: api.newKey() });
  await h.must('POST', '/hygiene-checks', { enterprise_id: other.id, deadline: format.addDays(format.parkToday(), 3),
    areas: [{ area: 'doorway', passed: false, note: '他企业门口杂物', photo_ids: [ph.id] }, { area: 'ditch', passed: true }, { area: 'road', passed: true }] },
    inspToken);
  wx.setStorageSync('parksafe.session', { accessToken: otherToken, refreshToken: '', user: {} });
  const ph2 = await api.upload({ path: h.photoFile, takenAt: new Date().toISOString(), key: api.newKey() });
  await h.must('POST', '/leader-inspections', { inspected_on: week.mondayOf(week.weekOf(format.parkToday())), areas: '罐区', findings: '无',
    photo_ids: [ph2.id] }, otherToken);
  h.use(phone);
});

test('no page on the enterprise’s phone shows another enterprise', async () => {
  h.use(phone);
  const pages = [['pages/home/index'], ['pages/hazards/index'], ['pages/notifications/index'], ['pages/hygiene/index'],
    ['pages/leader/index'], ['pages/interviews/index'], ['pages/bulletins/index'], ['pages/stats/index'], ['pages/me/index']];
  for (const [route] of pages) {
    const page = await h.openPage(route);
    await new Promise((r) => setTimeout(r, 150)); // let every request of the page answer
    await h.waitFor(() => page.data.loaded !== false || page.data.error !== undefined, route);
    const text = h.textOf(page);
    expect([route, text.includes(other.name)]).toEqual([route, false]);
    expect([route, text.match(h.TIMESTAMP)]).toEqual([route, null]); // times are shown in park time
    expect([route, page.data.error || '']).toEqual([route, '']);
  }
  // Reaching the other's records directly is a "not found".
  const board = await h.must('GET', '/hygiene-checks/weeks/' + week.weekOf(format.parkToday()), undefined, otherToken);
  const check = await h.openPage('pages/hygiene/detail', { id: String(board.failed[0].check_id) });
  await h.waitFor(() => check.data.error);
  expect(check.data.error).toContain('不存在');
  const hazard = await h.openPage('pages/hazards/detail', { id: String(board.failed[0].areas[0].hazard_id) });
  await h.waitFor(() => hazard.data.error);
  expect(hazard.data.error).toContain('不存在');
});
