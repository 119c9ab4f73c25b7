// Monday leader inspections against the real server: one enterprise files last week's on its Monday
// (on time) with a problem not fixed on the spot (a hazard), another files on the Tuesday (late); the
// office's report shows them done and late beside the demo park's missing enterprises with their
// streaks; each enterprise sees its own history only.
const h = require('../support/harness');
const week = require('../../src/utils/week');
const format = require('../../src/utils/format');

const phoneA = h.phone('leader-a');
const phoneB = h.phone('leader-b');
const adminPhone = h.phone('leader-admin');
let entA, entB, userA, tokenA;

const lastWeek = () => week.shift(week.weekOf(format.parkToday()), -1);

beforeAll(async () => {
  entA = await h.enterprise('带队按时化工');
  entB = await h.enterprise('带队补报化工');
  userA = await h.account('enterprise', entA.id);
  tokenA = await h.signIn(phoneA, userA);
  await h.signIn(phoneB, await h.account('enterprise', entB.id));
  await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
});

/** file fills in and submits the filing form on the current phone; it returns the page. */
async function file(date, { hazard } = {}) {
  wx.removeStorageSync(h.storageKey('draft.leader'));
  const page = await h.openPage('pages/leader/file');
  await h.waitFor(() => page.data.d.leader_name, 'principal as the default leader');
  expect(page.data.d.leader_name).toBe('王主任');
  h.pick(page, '#date-picker', date);
  h.type(page, '#participants', '安全总监、设备部经理');
  h.type(page, '#areas', '罐区、装卸站台、甲类仓库');
  h.type(page, '#findings', '罐区防火堤排水阀未关闭，已当场关闭；仓库一处灭火器压力不足');
  h.type(page, '#found', '2');
  h.type(page, '#fixed', '1');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 1 && page.data.d.findings && page.data.d.problems_fixed, 'form filled');
  if (hazard) {
    await h.tapButton(page, '#add-hazard');
    await h.waitFor(() => page.querySelector('#hazard-0-title'));
    h.type(page, '#hazard-0-title', hazard);
    h.type(page, '#hazard-0-requirement', '立即更换灭火器');
    wx.__queueMedia(h.photoFile);
    h.tap(page.querySelector('#hazard-0-photo'));
    await h.waitFor(() => page.data.d.hazards[0].photos.length === 1 && page.data.d.hazards[0].title && page.data.d.hazards[0].requirement);
  }
  wx.__reset();
  await h.tapButton(page, '#submit');
  await h.waitFor(() => h.calls('redirectTo').length || page.data.error, 'filed');
  return page;
}

test('an on-time and a late filing, and the office report that shows them with the missing', async () => {
  const monday = week.mondayOf(lastWeek());
  h.use(phoneA);
  const pageA = await file(monday, { hazard: '灭火器压力不足' + h.tag() });
  expect(pageA.data.onTime).toBe(true);
  expect(pageA.data.error).toBe('');
  const idA = Number(h.calls('redirectTo')[0].url.split('id=')[1]);
  const detail = await h.openPage('pages/leader/detail', { id: String(idA) });
  await h.waitFor(() => detail.data.li.id, 'detail');
  expect(h.textOf(detail.querySelector('#on-time'))).toBe('周一按时开展');
  expect(detail.data.li.hazards).toHaveLength(1);
  expect((await h.must('GET', '/hazards/' + detail.data.li.hazards[0].id, undefined, tokenA)).source).toBe('leader_inspection');

  // The same week again is refused, with the server's message, and nothing is filed twice.
  const again = await file(format.addDays(monday, 2));
  await h.waitFor(() => again.data.error);
  expect(again.data.error).toContain('不能重复填报');
  expect((await h.must('GET', '/leader-inspections?week=' + lastWeek(), undefined, tokenA)).total).toBe(1);

  h.use(phoneB);
  const pageB = await file(format.addDays(monday, 1));
  expect(pageB.data.onTime).toBe(false);
  expect(pageB.data.error).toBe('');

  // The office's report of last week.
  h.use(adminPhone);
  const report = await h.openPage('pages/leader/index');
  await h.waitFor(() => report.data.loaded);
  h.tap(report.querySelector('#prev-week'));
  await h.waitFor(() => report.data.week === lastWeek() && report.querySelector('#done-' + entA.id), 'last week');
  expect(h.textOf(report.querySelector('#late-' + entB.id))).toContain(format.addDays(monday, 1));
  const api = await h.must('GET', '/leader-inspections/weeks/' + lastWeek(), undefined, await h.admin());
  expect(h.textOf(report.querySelector('#count-done'))).toBe(String(api.done.length));
  expect(h.textOf(report.querySelector('#count-late'))).toBe(String(api.late.length));
  expect(h.textOf(report.querySelector('#count-missing'))).toBe(String(api.missing.length));
  const streak = api.missing.find((m) => m.missed_streak > 1);
  expect(h.textOf(report.querySelector('#missing-' + streak.enterprise_id))).toContain(`连续 ${streak.missed_streak} 周`);
  expect(report.querySelector('#interviews')).toBeTruthy();

  // Each enterprise sees its own filing and history only.
  h.use(phoneB);
  const own = await h.openPage('pages/leader/index', { week: lastWeek() });
  await h.waitFor(() => own.data.loaded && own.data.history.length, 'own history');
  const text = h.textOf(own);
  expect(text).toContain('未在周一开展');
  expect(text).not.toContain(entA.name);
  expect(own.querySelector('#count-done')).toBeFalsy();
  expect(own.data.history.map((x) => x.enterprise_id)).toEqual([entB.id]);
  const other = await h.openPage('pages/leader/detail', { id: String(idA) });
  await h.waitFor(() => other.data.error);
  expect(other.data.error).toContain('不存在');
});
