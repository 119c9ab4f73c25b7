// Endless scroll continues after the last row shown: hazards reported while the list is scrolled
// neither repeat a row on the next page nor push one out of reach.
const h = require('../support/harness');
const format = require('../../src/utils/format');

const phone = h.phone('scroll-enterprise');
let ent, inspToken, photoId;

async function report(title) {
  return h.must('POST', '/hazards', { enterprise_id: ent.id, category: 'fire', level: 'general', title, description: '翻页测试',
    location: '罐区', requirement: '清理', deadline: format.addDays(format.parkToday(), 7), photo_ids: [photoId] }, inspToken);
}

beforeAll(async () => {
  ent = await h.enterprise('翻页化工');
  inspToken = await h.token(await h.account('inspector'));
  const api = require('../../src/utils/api');
  h.use(h.phone('scroll-fixtures'));
  wx.setStorageSync('parksafe.session', { accessToken: inspToken, refreshToken: '', user: {} });
  photoId = (await api.upload({ path: h.photoFile, takenAt: new Date().toISOString(), key: api.newKey() })).id;
  await h.signIn(phone, await h.account('enterprise', ent.id));
});

test('the hazard list scrolls past a page while new hazards are reported', async () => {
  const before = [];
  for (let i = 0; i < 25; i++) before.push((await report('翻页隐患' + i)).id);
  h.use(phone);
  const page = await h.openPage('pages/hazards/index');
  await h.waitFor(() => page.data.loaded && !page.data.loading, 'first page');
  expect(page.data.items.length).toBe(20);
  expect(page.data.total).toBe(25);
  expect(page.data.next).toBeTruthy();
  for (let i = 0; i < 3; i++) await report('翻页时新报' + i);
  await page.instance.onReachBottom();
  await h.waitFor(() => !page.data.loading && !page.data.next, 'second page');
  const ids = page.data.items.map((x) => x.id);
  expect(new Set(ids).size).toBe(ids.length); // nothing twice
  expect(before.filter((id) => !ids.includes(id))).toEqual([]); // nothing skipped
  expect(ids.length).toBe(25); // the new ones are above, found by pulling down
  expect(h.textOf(page)).toContain('没有更多了');
  await page.instance.onPullDownRefresh();
  await h.waitFor(() => page.data.loaded && !page.data.loading && page.data.total === 28, 'refresh');
});
