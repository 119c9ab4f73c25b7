// The walk behind docs/screens: the pages on the demo park as its people see them — 张建国 (inspector01),
// 吴海峰 of 龙池石化 (ent01) and the office's admin — each page opened, filled in and waited for as a
// page test does, then written as HTML by test/support/screens.js for scripts/screens.sh to shoot.
// Run through `npm run screens` (its own jest configuration, SCREENS=1); `npx jest` does not see it.
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const exparser = require('miniprogram-exparser');
const h = require('../test/support/harness');
const { shot } = require('../test/support/screens');
const week = require('../src/utils/week');
const format = require('../src/utils/format');

const loginPhone = h.phone('screens-login');
const inspPhone = h.phone('screens-inspector');
const entPhone = h.phone('screens-enterprise');
const adminPhone = h.phone('screens-admin');
const photos = []; // demo photos on disk, for the camera
let admin, ent, dir;

/** demoAccount gives a demo account a known password (the demo makes random ones) and returns it. */
async function demoAccount(username) {
  const u = (await h.must('GET', '/users?q=' + username, undefined, admin)).items.find((x) => x.username === username);
  const password = 'Screens-' + h.tag();
  await h.must('PATCH', '/users/' + u.id, { password, version: u.version }, admin);
  return { username, password, id: u.id };
}

/** download saves a link (a demo photo) to a temporary file. */
function download(url, file) {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const out = fs.createWriteStream(file);
      res.pipe(out);
      out.on('finish', () => resolve(file));
    }).on('error', reject);
  });
}

/** open opens a page on phone p, waits until ready(page) holds, and checks no error is shown. */
async function open(p, route, query, ready) {
  h.use(p);
  wx.__reset();
  const page = await h.openPage(route, query);
  if (ready) await h.waitFor(() => ready(page), route);
  expect(page.data.error || '').toBe('');
  return page;
}

/** camera makes the next n photos taken on the current phone demo photos. */
function camera(n) {
  for (let i = 0; i < n; i++) wx.__queueMedia(photos[i % photos.length]);
}

beforeAll(async () => {
  admin = await h.admin();
  await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
  await h.signIn(inspPhone, await demoAccount('inspector01'));
  await h.signIn(entPhone, await demoAccount('ent01'));
  ent = (await h.must('GET', '/enterprises?q=' + encodeURIComponent('龙池石化'), undefined, admin)).items[0];
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'screens-'));
  const withPhotos = (await h.must('GET', '/hazards?page_size=20', undefined, admin)).items.filter((x) => x.thumb).slice(0, 3);
  for (const [i, x] of withPhotos.entries()) {
    const p = await h.must('GET', '/photos/' + x.thumb.id, undefined, admin);
    photos.push(await download(p.url, path.join(dir, `photo${i}.jpg`)));
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('login', async () => {
  const page = await open(loginPhone, 'pages/login/index');
  h.type(page, '#username', 'inspector01');
  h.type(page, '#password', 'Park-204815');
  await h.waitFor(() => page.data.password);
  await shot(page, 'login', 'pages/login/index', { caption: '登录' });
});

test('home for each role', async () => {
  for (const [p, name, caption] of [[inspPhone, 'home-inspector', '工作台 · 检查人员'], [entPhone, 'home-enterprise', '工作台 · 企业'],
    [adminPhone, 'home-admin', '工作台 · 园区管理员']]) {
    const page = await open(p, 'pages/home/index', {}, (pg) => pg.data.park.week && pg.data.routines.length && pg.data.tiles.every((t) => t.count !== null));
    await shot(page, name, 'pages/home/index', { caption });
  }
});

test('hazards: list and detail', async () => {
  const list = await open(inspPhone, 'pages/hazards/index', {}, (pg) => pg.data.loaded && pg.data.items.length);
  h.tap(list.querySelector('#overdue'));
  await h.waitFor(() => list.data.filter.overdue && list.data.loaded && !list.data.loading && list.data.items.length && list.data.items.every((x) => x.overdue), 'overdue only');
  await shot(list, 'hazards', 'pages/hazards/index', { caption: '隐患列表（只看逾期）' });

  // A hazard that went round the loop: photos, a rectification with its photos, a timeline.
  const closed = (await h.must('GET', '/hazards?status=closed&page_size=50', undefined, admin)).items;
  let pick;
  for (const x of closed) {
    const d = await h.must('GET', '/hazards/' + x.id, undefined, admin);
    if (d.photos.length && d.rectifications.length && d.rectifications[0].photos.length && d.events.length >= 4) {
      pick = d;
      break;
    }
  }
  expect(pick).toBeTruthy();
  const detail = await open(inspPhone, 'pages/hazards/detail', { id: String(pick.id) }, (pg) => pg.data.h.id);
  await shot(detail, 'hazard-detail', 'pages/hazards/detail', { caption: '隐患详情：照片、整改记录' });
  await shot(detail, 'hazard-timeline', 'pages/hazards/detail', { caption: '隐患详情：处理过程', scroll: 'timeline' });
});

test('隐患随手拍, then kept in the outbox without signal', async () => {
  h.use(inspPhone);
  wx.removeStorageSync(h.storageKey('draft.report'));
  const page = await open(inspPhone, 'pages/hazard-forms/report', {}, (pg) => pg.data.enterprises.length);
  camera(2);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 2, 'photos');
  h.pick(page, '#enterprise-picker', page.data.enterprises.findIndex((e) => e.id === ent.id));
  // The category picker has no id: it is the picker after the enterprise's.
  const category = page.dom.querySelectorAll('wx-picker')[1].__wxElement;
  exparser.Event.dispatchEvent(category, exparser.Event.create('change', { value: format.CATEGORIES.findIndex((c) => c.value === 'fire') }, {}));
  h.type(page, '#title', '罐区消防通道堆放空桶');
  h.type(page, '#location', '二号罐区东侧消防通道');
  h.type(page, '#description', '通道上堆放约 20 个空油桶，占用约一半通道宽度。');
  await h.waitFor(() => page.data.d.description && page.data.d.enterprise_id && page.data.d.category === 'fire', 'form filled');
  await shot(page, 'report', 'pages/hazard-forms/report', { caption: '隐患随手拍', full: true });

  wx.__setOnline(false);
  await h.tapButton(page, '#submit');
  await h.waitFor(() => h.calls('navigateBack').length, 'kept for later');
  const box = await open(inspPhone, 'pages/account/outbox', {}, (pg) => pg.data.items.length === 1);
  await shot(box, 'outbox', 'pages/account/outbox', { caption: '待发送：无网络时保存的上报' });
  // Dropped rather than sent, so that the pages after this one show the demo park as it was.
  wx.removeStorageSync(h.storageKey('outbox'));
  wx.__setOnline(true);
});

test('notifications and me', async () => {
  const n = await open(entPhone, 'pages/notifications/index', {}, (pg) => pg.data.loaded && pg.data.items.length);
  await shot(n, 'notifications', 'pages/notifications/index', { caption: '消息' });
  const me = await open(entPhone, 'pages/me/index', {}, (pg) => pg.data.user.id && pg.data.park.week);
  await shot(me, 'me', 'pages/me/index', { caption: '我的' });
});

test('hygiene: the board and a check', async () => {
  const last = week.shift(week.weekOf(format.parkToday()), -1);
  const board = await open(inspPhone, 'pages/hygiene/index', { week: last }, (pg) => pg.data.loaded && pg.data.failed.length);
  await shot(board, 'hygiene-board', 'pages/hygiene/index', { caption: '周五卫生检查看板' });

  const current = await h.must('GET', '/hygiene-checks/weeks/' + week.weekOf(format.parkToday()), undefined, admin);
  const target = current.not_checked.find((x) => x.enterprise_id === ent.id) || current.not_checked[0];
  const page = await open(inspPhone, 'pages/hygiene/check', { enterprise_id: String(target.enterprise_id) }, (pg) => pg.data.ent && pg.data.ent.id);
  h.tap(page.querySelector('#doorway-fail'));
  h.tap(page.querySelector('#ditch-pass'));
  h.tap(page.querySelector('#road-pass'));
  await h.waitFor(() => page.querySelector('#doorway-note'), 'note field');
  h.type(page, '#doorway-note', '门口堆放废弃纸箱和木托盘，有火灾隐患');
  camera(1);
  h.tap(page.querySelector('#doorway-photo'));
  await h.waitFor(() => page.data.d.areas[0].photos.length === 1 && page.data.d.areas[0].note, 'note and photo');
  await shot(page, 'hygiene-check', 'pages/hygiene/check', { caption: '卫生检查：门前三包', full: true });
});

test('leader inspections: the office report and the filing', async () => {
  const last = week.shift(week.weekOf(format.parkToday()), -1);
  const report = await open(adminPhone, 'pages/leader/index', { week: last }, (pg) => pg.data.loaded && pg.data.missing.length);
  await shot(report, 'leader-report', 'pages/leader/index', { caption: '周一带队检查：按时 / 非周一 / 未填报' });

  h.use(entPhone);
  wx.removeStorageSync(h.storageKey('draft.leader'));
  const page = await open(entPhone, 'pages/leader/file', {}, (pg) => pg.data.d.leader_name);
  h.type(page, '#participants', '安全总监、设备部经理、生产部经理');
  h.type(page, '#areas', '罐区、装卸站台、甲类仓库');
  h.type(page, '#findings', '罐区防火堤排水阀未关闭，已当场关闭；甲类仓库一具灭火器压力不足。');
  h.type(page, '#found', '2');
  h.type(page, '#fixed', '1');
  camera(2);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 2 && page.data.d.problems_fixed, 'filled');
  await shot(page, 'leader-file', 'pages/leader/file', { caption: '填报带队检查', full: true });
});

test('interviews: list and detail', async () => {
  const list = await open(adminPhone, 'pages/interviews/index', {}, (pg) => pg.data.loaded && pg.data.items.length);
  await shot(list, 'interviews', 'pages/interviews/index', { caption: '约谈' });
  const all = (await h.must('GET', '/interviews?page_size=100', undefined, admin)).items;
  const held = all.find((x) => x.status === 'closed') || all.find((x) => x.status === 'held') || all[0];
  const detail = await open(adminPhone, 'pages/interviews/detail', { id: String(held.id) }, (pg) => pg.data.iv.id);
  await shot(detail, 'interview-detail', 'pages/interviews/detail', { caption: '约谈详情' });
});

test('a bulletin read on an enterprise phone', async () => {
  const drafts = (await h.must('GET', '/bulletins?status=draft', undefined, admin)).items;
  const b = drafts.find((x) => x.kind === 'hygiene_weekly') || drafts[0];
  const before = (await h.wechat('GET', '/__fake/calls?path=/freepublish/submit')).count;
  await h.must('POST', `/bulletins/${b.id}/publish`, {}, admin, 202);
  await h.waitFor(async () => (await h.wechat('GET', '/__fake/calls?path=/freepublish/submit')).count > before, 'submitted to WeChat', 20000);
  await h.waitFor(async () => {
    await h.wechat('POST', '/__fake/publish-result?status=0&article_url=' + encodeURIComponent('https://mp.weixin.qq.com/s/parksafe-demo'));
    return (await h.must('GET', '/bulletins/' + b.id, undefined, admin)).status === 'published';
  }, 'published', 20000);
  const page = await open(entPhone, 'pages/bulletins/detail', { id: String(b.id) }, (pg) => pg.data.b.id);
  await shot(page, 'bulletin', 'pages/bulletins/detail', { caption: '通报（富文本）' });
});

test('statistics and the enterprises', async () => {
  const stats = await open(adminPhone, 'pages/stats/index', {}, (pg) => pg.data.loaded);
  await shot(stats, 'stats', 'pages/stats/index', { caption: '统计' });
  await shot(stats, 'stats-ranking', 'pages/stats/index', { caption: '统计：企业排名', scroll: 'ranking-chart' });
  const list = await open(adminPhone, 'pages/admin/enterprises', {}, (pg) => pg.data.loaded && pg.data.items.length);
  await shot(list, 'enterprises', 'pages/admin/enterprises', { caption: '企业管理' });
});
