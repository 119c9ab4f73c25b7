// The rectification loop on three phones against the real server: the inspector reports with a photo,
// the enterprise rectifies with an after-photo, the inspector rejects with a reason, the enterprise
// rectifies again, the inspector verifies; a major hazard waits for the admin; another enterprise
// never sees it; a 422 shows beside its field.
const h = require('../support/harness');

const inspPhone = h.phone('inspector');
const entPhone = h.phone('enterprise');
const otherPhone = h.phone('other');
const adminPhone = h.phone('admin');
let ent, other, insp, entUser, otherUser, inspToken;

beforeAll(async () => {
  ent = await h.enterprise('龙池石化');
  other = await h.enterprise('另一家化工');
  insp = await h.account('inspector');
  entUser = await h.account('enterprise', ent.id);
  otherUser = await h.account('enterprise', other.id);
  inspToken = await h.signIn(inspPhone, insp);
  await h.signIn(entPhone, entUser);
  await h.signIn(otherPhone, otherUser);
  await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
});

/** report fills in 隐患随手拍 on the inspector's phone and submits it; it returns the page. */
async function report(title, { level = 0, deadline } = {}) {
  h.use(inspPhone);
  wx.removeStorageSync(h.storageKey('draft.report'));
  const page = await h.openPage('pages/hazard-forms/report');
  await h.waitFor(() => page.data.enterprises.length, 'enterprises');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 1, 'photo taken');
  h.pick(page, '#enterprise-picker', page.data.enterprises.findIndex((e) => e.id === ent.id));
  h.pick(page, '#level-picker', level);
  if (deadline) h.pick(page, '#deadline-picker', deadline);
  h.type(page, '#title', title);
  h.type(page, '#location', '二号罐区东侧');
  h.type(page, '#description', '消防通道堆放废旧托盘约 20 个');
  h.type(page, '#requirement', '立即清理，保持通道畅通');
  await h.waitFor(() => page.data.d.requirement && page.data.d.title === title, 'typed');
  wx.__reset();
  await h.tapButton(page, '#submit');
  return page;
}

async function reportAndOpen(title, opts) {
  await report(title, opts);
  await h.waitFor(() => h.calls('redirectTo').length, 'redirect to detail');
  return Number(h.calls('redirectTo')[0].url.split('id=')[1]);
}

/** rectify submits a rectification with an after-photo on the enterprise's phone. */
async function rectify(id, text) {
  h.use(entPhone);
  const detail = await h.openPage('pages/hazards/detail', { id: String(id) });
  await h.waitFor(() => detail.querySelector('#act-rectify'), 'rectify action');
  wx.__reset();
  await h.tapButton(detail, '#act-rectify');
  await h.waitFor(() => h.calls('navigateTo').length);
  const url = h.calls('navigateTo')[0].url;
  expect(url).toMatch(/^\/pages\/hazard-forms\/rectify\?id=\d+&version=\d+$/);
  const query = Object.fromEntries(new URLSearchParams(url.split('?')[1]));
  const page = await h.openPage('pages/hazard-forms/rectify', query);
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 1, 'after-photo');
  h.type(page, '#description', text);
  await h.waitFor(() => page.data.d.description === text);
  wx.__reset();
  await h.tapButton(page, '#submit');
  await h.waitFor(() => h.calls('navigateBack').length, 'back after rectifying');
}

/** decide takes an action with an optional comment on the hazard's detail page on the current phone. */
async function decide(id, action, comment) {
  const page = await h.openPage('pages/hazards/detail', { id: String(id) });
  await h.waitFor(() => page.querySelector('#act-' + action), action + ' action');
  await h.tapButton(page, '#act-' + action);
  await h.waitFor(() => page.querySelector('#confirm'), 'form');
  if (comment) {
    h.type(page, '#comment', comment);
    await h.waitFor(() => page.data.form.comment === comment);
  }
  const before = page.data.h.version;
  await h.tapButton(page, '#confirm');
  await h.waitFor(() => page.data.h.version > before || page.data.error || Object.values(page.data.fields).some(Boolean), 'decision answered');
  expect([page.data.error, page.data.fields]).toEqual(['', {}]);
  return page;
}

const hazard = (id) => h.must('GET', '/hazards/' + id, undefined, inspToken);

test('photo to close-out: report, rectify, reject with a reason, rectify again, verify', async () => {
  const title = '罐区消防通道堆放杂物' + Date.now();
  const id = await reportAndOpen(title);
  let hz = await hazard(id);
  expect(hz.status).toBe('pending_rectify');
  expect(hz.enterprise_id).toBe(ent.id);
  expect(hz.photos).toHaveLength(1);
  expect(hz.photos[0].latitude).toBeCloseTo(30.2741);
  expect(hz.photos[0].taken_at).toBeTruthy();

  // The enterprise sees it in its list, with the thumbnail, and rectifies.
  h.use(entPhone);
  const list = await h.openPage('pages/hazards/index');
  await h.waitFor(() => list.data.loaded);
  const row = list.data.items.find((x) => x.id === id);
  expect(row.title).toBe(title);
  expect(row.thumb.thumb_url).toContain('/files/photos/');
  expect(h.textOf(list)).toContain(title);
  await rectify(id, '已清理全部杂物');
  expect((await hazard(id)).status).toBe('pending_verify');

  // The inspector rejects: without a reason the form says so beside the field; with one it goes back.
  h.use(inspPhone);
  const det = await h.openPage('pages/hazards/detail', { id: String(id) });
  await h.waitFor(() => det.querySelector('#act-reject'));
  await h.tapButton(det, '#act-reject');
  await h.waitFor(() => det.querySelector('#confirm'));
  await h.tapButton(det, '#confirm');
  await h.waitFor(() => det.querySelector('#error-comment'), 'reason required');
  expect((await hazard(id)).status).toBe('pending_verify');
  await decide(id, 'reject', '标线未划，请补齐');
  hz = await hazard(id);
  expect(hz.status).toBe('pending_rectify');
  expect(hz.reject_count).toBe(1);
  expect(hz.events.some((e) => e.comment === '标线未划，请补齐')).toBe(true);

  await rectify(id, '已补划禁停标线');
  h.use(inspPhone);
  const done = await decide(id, 'pass', '');
  hz = await hazard(id);
  expect(hz.status).toBe('closed');
  expect(hz.rectifications).toHaveLength(2);
  expect(hz.rectifications.every((r) => r.photos.length === 1)).toBe(true);
  expect(h.textOf(done.querySelector('#status'))).toBe('已销号');
  expect(done.data.actions).toHaveLength(0);

  // Every time on the page is the park's, as people read it, never the server's timestamp as sent.
  expect(h.textOf(done)).not.toMatch(h.TIMESTAMP);
  const rects = done.querySelectorAll('.rect');
  expect(rects).toHaveLength(2);
  hz.rectifications.forEach((r, i) => expect(h.textOf(rects[i])).toContain(`${r.submitter.name} · ${h.parkTime(r.created_at)}`));
  const timeline = h.textOf(done.querySelector('#timeline'));
  for (const e of hz.events) expect(timeline).toContain(`${e.actor.name} ${h.parkTime(e.created_at)}`);
  expect(h.textOf(done)).toContain(h.parkTime(hz.created_at));
});

test('a major hazard waits for the admin to approve', async () => {
  const id = await reportAndOpen('储罐呼吸阀失效' + Date.now(), { level: 1 });
  expect((await hazard(id)).level).toBe('major');
  await rectify(id, '已更换呼吸阀');
  h.use(inspPhone);
  await decide(id, 'pass');
  expect((await hazard(id)).status).toBe('pending_approval');

  h.use(adminPhone);
  const home = await h.openPage('pages/home/index');
  await h.waitFor(() => home.data.tiles.length && home.data.tiles[0].count !== null, 'admin tiles');
  expect(home.data.tiles[0].label).toBe('待审批');
  expect(home.data.tiles[0].count).toBeGreaterThanOrEqual(1);
  await decide(id, 'approve', '同意销号');
  expect((await hazard(id)).status).toBe('closed');
});

test('another enterprise never sees the hazard', async () => {
  const title = '另一企业不可见' + Date.now();
  const id = await reportAndOpen(title);
  h.use(otherPhone);
  const list = await h.openPage('pages/hazards/index');
  await h.waitFor(() => list.data.loaded);
  expect(list.data.items.some((x) => x.id === id)).toBe(false);
  expect(h.textOf(list)).not.toContain(title);
  const det = await h.openPage('pages/hazards/detail', { id: String(id) });
  await h.waitFor(() => det.data.error, 'error');
  expect(h.textOf(det.querySelector('#error'))).toContain('不存在');
  expect(det.data.h.id).toBeUndefined();
});

test('a 422 from the server shows its message beside the field and keeps the form', async () => {
  const title = '期限早于今天' + Date.now();
  const page = await report(title, { deadline: '2020-01-01' });
  await h.waitFor(() => page.data.fields.deadline, 'deadline field error');
  const msg = h.textOf(page.querySelector('#error-deadline'));
  expect(msg.length).toBeGreaterThan(2);
  expect(page.data.error).toBeTruthy();
  expect(page.data.d.title).toBe(title); // nothing the user entered is lost
  expect(page.data.d.photos[0].photoId).toBeGreaterThan(0); // the upload is reused on the corrected submit
  const l = await h.must('GET', '/hazards?q=' + encodeURIComponent(title), undefined, inspToken);
  expect(l.total).toBe(0);
  expect(h.calls('redirectTo')).toHaveLength(0);
});
