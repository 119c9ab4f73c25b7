// 安全生产报备 against the real server: an enterprise files a 特级动火 from the phone, its reviewer asks
// for changes item by item, the enterprise answers each with a note and a photo and resubmits, the
// reviewer and then the office approve, the enterprise starts and completes the work with photos, and
// the board shows it on the day and the week lists it. A server refusal shows beside its field;
// without signal the filing waits in the outbox and is filed once; another enterprise sees none of it.
const h = require('../support/harness');
const format = require('../../src/utils/format');
const filing = require('../../src/pages/filings/filing');

const entPhone = h.phone('fl-enterprise');
const revPhone = h.phone('fl-reviewer');
const adminPhone = h.phone('fl-admin');
const otherPhone = h.phone('fl-other');
let ent, entToken, reviewer, adminToken;

beforeAll(async () => {
  adminToken = await h.admin();
  ent = await h.enterprise('报备测试化工');
  reviewer = await h.account('inspector');
  await h.must('PATCH', '/enterprises/' + ent.id, { cadre_id: reviewer.id }, adminToken);
  entToken = await h.signIn(entPhone, await h.account('enterprise', ent.id));
  await h.signIn(revPhone, reviewer);
  await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
  await h.signIn(otherPhone, await h.account('enterprise', (await h.enterprise('报备无关化工')).id));
});

/** at is the park's date and time (pickers' values) minutes from now, on a five-minute step. */
function at(minutes) {
  const ms = Math.ceil((Date.now() + minutes * 60000) / 300000) * 300000;
  return filing.partsOf(new Date(ms).toISOString());
}

/** fill completes the form for a 特级动火 starting in about startIn minutes. */
async function fill(page, title, startIn) {
  await h.waitFor(() => page.data.kinds.length, 'kinds');
  h.pick(page, '#kind-picker', page.data.kinds.findIndex((k) => k.kind === 'hot_work'));
  await h.waitFor(() => page.data.grades.length, 'grades');
  h.pick(page, '#grade-picker', page.data.grades.findIndex((g) => g.grade === 'special'));
  await h.waitFor(() => page.data.d.grade === 'special');
  expect(h.textOf(page.querySelector('#needs-admin'))).toContain('园区管理办公室审批');
  const s = at(startIn);
  const e = at(startIn + 6 * 60);
  h.pick(page, '#start-date', s.date);
  h.pick(page, '#start-time', s.time);
  h.pick(page, '#end-date', e.date);
  h.pick(page, '#end-time', e.time);
  h.type(page, '#title', title);
  h.type(page, '#location', '二号罐区东侧管廊');
  h.type(page, '#content', '更换 DN150 物料管线两段，焊接作业');
  h.type(page, '#hazard_identification', '可燃气体残留、火花飞溅');
  h.type(page, '#safety_measures', '管线吹扫置换并检测合格；清理周边可燃物；专人监护');
  h.type(page, '#responsible_name', '王志刚');
  h.type(page, '#responsible_mobile', '13905711234');
  h.type(page, '#watcher_name', '李强');
  h.type(page, '#watcher_mobile', '13905715678');
  h.tap(page.querySelector('#locate'));
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#add-permit'));
  await h.waitFor(() => page.data.permits.length === 1 && page.data.d.latitude != null && page.data.d.watcher_mobile, 'form filled');
  expect(page.data.d.start_time).toBe(s.time);
}

/** step opens a step's form on the detail, fills it with fn and sends it; it resolves once the filing changed or an error shows. */
async function step(page, mode, fn) {
  await h.tapButton(page, '#act-' + mode);
  await h.waitFor(() => page.querySelector('#form'), mode + ' form');
  if (fn) await fn();
  const v = page.data.f.version;
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.f.version > v || page.data.error, mode + ' sent');
  expect(page.data.error).toBe('');
}

/** photoFor takes a photo for the node tapped. */
async function photoFor(page, sel, have) {
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector(sel));
  await h.waitFor(() => page.data.form.photos.length === have + 1, sel + ' photo');
}

const server = (id) => h.must('GET', '/filings/' + id, undefined, adminToken);

test('a hot-work filing from the phone through changes, approvals, start and completion, on the board that day', async () => {
  const title = '特级动火' + h.tag();
  h.use(entPhone);
  const form = await h.openPage('pages/filings/form');
  await fill(form, title, 15);
  wx.__reset();
  await h.tapButton(form, '#submit');
  await h.waitFor(() => h.calls('redirectTo').length || form.data.error, 'filed');
  expect(form.data.error).toBe('');
  const url = h.calls('redirectTo')[0].url;
  expect(url).toMatch(/^\/pages\/filings\/detail\?id=\d+$/);
  const id = Number(url.split('id=')[1]);
  let f = await server(id);
  expect([f.status, f.kind, f.grade, f.needs_admin, f.permit_photos.length, f.latitude]).toEqual(['submitted', 'hot_work', 'special', true, 1, 30.2741]);
  expect(f.reviewer.id).toBe(reviewer.id);
  // The filing's notices open this page.
  expect(format.recordPage('filing:' + id)).toBe(url);

  // The reviewer finds it in the queue and asks for two changes.
  h.use(revPhone);
  const queue = await h.openPage('pages/filings/index');
  await h.waitFor(() => queue.data.loaded);
  expect(h.textOf(queue.querySelector('#filing-' + id))).toContain(title);
  const rev = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => rev.data.f.id);
  expect(rev.querySelector('#act-approve')).toBeFalsy();
  await step(rev, 'review', async () => {
    h.tap(rev.querySelector('#decide-no'));
    h.tap(await h.waitFor(() => rev.querySelector('#add-item'), 'add item'));
    await h.waitFor(() => rev.data.form.items.length === 2);
    h.type(rev, '#item-input-0', '动火点 10 米内可燃物未清理');
    h.type(rev, '#item-input-1', '气体检测报告未附');
    await h.waitFor(() => rev.data.form.items[1]);
  });
  expect(rev.data.f.status).toBe('changes_requested');
  expect(h.textOf(rev.querySelector('#status'))).toBe('待整改');

  // The enterprise answers each item with a note and a photo, and resubmits.
  h.use(entPhone);
  const answer = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => answer.querySelector('#act-answer'), 'answer action');
  expect(answer.querySelector('#act-start')).toBeFalsy();
  await h.tapButton(answer, '#act-answer');
  await h.waitFor(() => answer.querySelector('#form'));
  expect(answer.data.form.answers.map((a) => a.content)).toEqual(['动火点 10 米内可燃物未清理', '气体检测报告未附']);
  h.type(answer, '#note-0', '已清理可燃物并设置警戒线');
  await photoFor(answer, '#add-answer-photo-0', 0);
  // One item without an answer is caught on the phone; nothing is sent.
  await h.tapButton(answer, '#save');
  await h.waitFor(() => answer.data.fields['answers.1.note']);
  expect(h.textOf(answer.querySelector('#error-note-1'))).toContain('请说明整改情况');
  expect((await server(id)).status).toBe('changes_requested');
  h.type(answer, '#note-1', '已补做气体检测，报告见照片');
  await photoFor(answer, '#add-answer-photo-1', 1);
  const v = answer.data.f.version;
  await h.tapButton(answer, '#save');
  await h.waitFor(() => answer.data.f.version > v || answer.data.error, 'resubmitted');
  expect(answer.data.error).toBe('');
  f = await server(id);
  expect(f.status).toBe('resubmitted');
  expect(f.items.map((it) => [it.status, it.answer_note, it.photos.length])).toEqual([
    ['answered', '已清理可燃物并设置警戒线', 1], ['answered', '已补做气体检测，报告见照片', 1]]);

  // The reviewer approves; a 特级动火 then waits for the office.
  h.use(revPhone);
  const rev2 = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => rev2.querySelector('#act-review'), 'review again');
  expect(h.textOf(rev2.querySelector('#item-' + f.items[0].id))).toContain('已清理可燃物并设置警戒线');
  await step(rev2, 'review', () => h.type(rev2, '#comment-input', '整改到位'));
  expect(rev2.data.f.status).toBe('pending_admin');

  // The office approves it from its queue.
  h.use(adminPhone);
  const adminQueue = await h.openPage('pages/filings/index');
  await h.waitFor(() => adminQueue.data.loaded);
  expect(adminQueue.data.items.some((x) => x.id === id)).toBe(true);
  const adm = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => adm.querySelector('#act-approve'), 'approve action');
  await step(adm, 'approve');
  expect(adm.data.f.status).toBe('approved');

  // The board shows it today, under its enterprise.
  const board = await h.openPage('pages/filings/board');
  await h.waitFor(() => board.data.board);
  expect(h.textOf(board.querySelector('#ent-' + ent.id))).toContain(title);
  expect(h.textOf(board.querySelector('#board-' + id))).toContain('已批准待开工');

  // The enterprise starts the work with a photo of the site, then completes it with one of the site put back.
  h.use(entPhone);
  const work = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => work.querySelector('#act-start'), 'start action');
  await step(work, 'start', async () => {
    await h.tapButton(work, '#save');
    await h.waitFor(() => work.data.fields.photo_ids);
    expect(h.textOf(work.querySelector('#error-photo_ids'))).toContain('开工前现场照片');
    work.setData({ error: '' });
    await photoFor(work, '#add-step-photo', 0);
  });
  expect(work.data.f.status).toBe('in_progress');
  const entBoard = await h.openPage('pages/filings/board');
  await h.waitFor(() => entBoard.data.board);
  expect(h.textOf(entBoard.querySelector('#board-' + id))).toContain('作业中');
  h.use(entPhone);
  const done = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => done.querySelector('#act-complete'), 'complete action');
  await step(done, 'complete', () => photoFor(done, '#add-step-photo', 0));
  expect(done.data.f.status).toBe('completed');
  expect(done.querySelector('#act-cancel')).toBeFalsy();
  const timeline = h.textOf(done.querySelector('#timeline'));
  for (const label of done.data.f.events.map((ev) => ev.action_label)) expect(timeline).toContain(label);
  expect(done.data.f.events.length).toBeGreaterThanOrEqual(7);
  expect(timeline).not.toMatch(h.TIMESTAMP);

  // The week lists it on its day.
  const wk = await h.openPage('pages/filings/board', { view: 'week' });
  await h.waitFor(() => wk.data.wk);
  expect(wk.data.days.some((d) => d.items.some((x) => x.id === id))).toBe(true);
  expect(h.textOf(wk)).toContain(title);

  // Another enterprise never sees it: not in its lists, not on its board, not by its id.
  h.use(otherPhone);
  const list = await h.openPage('pages/filings/index', { status: '' });
  await h.waitFor(() => list.data.loaded);
  expect(list.data.items.some((x) => x.id === id)).toBe(false);
  expect(h.textOf(list)).not.toContain(title);
  const otherBoard = await h.openPage('pages/filings/board', { view: 'week' });
  await h.waitFor(() => otherBoard.data.wk);
  expect(h.textOf(otherBoard)).not.toContain(title);
  const otherDetail = await h.openPage('pages/filings/detail', { id: String(id) });
  await h.waitFor(() => otherDetail.data.error);
  expect(otherDetail.data.error).toContain('不存在');
  expect(h.textOf(otherDetail)).not.toContain(title);
});

test('a planned start already past is refused beside its field, and nothing is filed', async () => {
  const title = '过时动火' + h.tag();
  h.use(entPhone);
  const form = await h.openPage('pages/filings/form');
  await fill(form, title, 15);
  const past = at(-120);
  h.pick(form, '#start-date', past.date);
  h.pick(form, '#start-time', past.time);
  await h.waitFor(() => form.data.d.start_time === past.time);
  wx.__reset();
  await h.tapButton(form, '#submit');
  await h.waitFor(() => form.data.error, 'refused');
  expect(h.textOf(form.querySelector('#error-planned_start'))).toContain('计划开始时间已过');
  expect(h.calls('redirectTo')).toHaveLength(0);
  expect((await h.must('GET', '/filings?q=' + encodeURIComponent(title), undefined, entToken)).total).toBe(0);
  // The form is kept as it was, photos and all, for the correction.
  expect(form.data.d.title).toBe(title);
  expect(form.data.permits).toHaveLength(1);
});

test('filed without signal: kept in the outbox and filed once when the network returns', async () => {
  const title = '离线报备' + h.tag();
  h.use(entPhone);
  const form = await h.openPage('pages/filings/form');
  await fill(form, title, 60);
  wx.__setOnline(false);
  wx.__reset();
  await h.tapButton(form, '#submit');
  await h.waitFor(() => h.calls('navigateBack').length, 'back');
  expect(h.calls('showToast')[0].title).toContain('联网后自动发送');
  const [item] = wx.getStorageSync(h.storageKey('outbox'));
  expect(item.path).toBe('/filings');
  const count = async () => (await h.must('GET', '/filings?q=' + encodeURIComponent(title), undefined, entToken)).total;
  expect(await count()).toBe(0);
  jest.resetModules();
  require('../../src/config').apiBase = h.state.api;
  const outbox = require('../../src/utils/outbox');
  wx.__setOnline(true);
  await outbox.flush();
  expect(outbox.count()).toBe(0);
  expect(await count()).toBe(1);
  await outbox.flush();
  const r = await h.must('GET', '/filings?q=' + encodeURIComponent(title), undefined, entToken);
  expect([r.total, r.items[0].status, r.items[0].kind]).toEqual([1, 'submitted', 'hot_work']);
});
