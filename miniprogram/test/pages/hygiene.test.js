// The Friday hygiene round on the inspector's phone against the real server: from the week's board
// through three enterprises with "下一家" (no going back to the board), one failed area with a note
// and a photo opening a hazard that the enterprise sees on its phone; a correction while the hazard
// is open; a round that goes on without signal and is sent when it returns.
const h = require('../support/harness');

const insp = h.phone('hygiene-inspector');
const entPhone = h.phone('hygiene-enterprise');
const t = h.tag();
let ents, offline, inspToken, entUser;

beforeAll(async () => {
  // Names that sort next to each other, so that the round's order (by name) walks them in turn.
  ents = [];
  for (const n of ['1甲', '2乙', '3丙']) ents.push(await h.enterprise(`巡查${t}-${n}化工有限公司`, { exact: true }));
  offline = [];
  for (const n of ['1甲', '2乙']) offline.push(await h.enterprise(`离线巡查${t}-${n}化工有限公司`, { exact: true }));
  const acc = await h.account('inspector');
  inspToken = await h.signIn(insp, acc);
  entUser = await h.account('enterprise', ents[1].id);
  await h.signIn(entPhone, entUser);
});

const week = () => require('../../src/utils/week').weekOf(require('../../src/utils/format').parkToday());
const board = () => h.must('GET', '/hygiene-checks/weeks/' + week(), undefined, inspToken);

/** rate taps pass or fail for an area on the check page. */
const rate = (page, area, pass) => h.tap(page.querySelector(`#${area}-${pass ? 'pass' : 'fail'}`));

async function submit(page) {
  wx.__reset();
  await h.tapButton(page, '#submit');
  await h.waitFor(() => page.data.sent || page.data.error, 'submitted');
}

test('a Friday round: board → three enterprises with 下一家 → one failed area opens a hazard the enterprise sees', async () => {
  h.use(insp);
  const b = await h.openPage('pages/hygiene/index');
  await h.waitFor(() => b.data.loaded, 'board');
  for (const e of ents) expect(h.textOf(b.querySelector('#todo-' + e.id))).toContain(e.name);
  wx.__reset();
  h.tap(b.querySelector('#todo-' + ents[0].id));
  await h.waitFor(() => h.calls('navigateTo').length, 'navigate to the check');
  const url = h.calls('navigateTo')[0].url;
  expect(url).toContain('/pages/hygiene/check?enterprise_id=' + ents[0].id);

  const page = await h.openPage('pages/hygiene/check', { enterprise_id: String(ents[0].id) });
  expect(h.textOf(page.querySelector('#enterprise'))).toBe(ents[0].name);
  for (const a of ['doorway', 'ditch', 'road']) rate(page, a, true);
  await submit(page);
  expect(page.data.error).toBe('');
  expect(h.textOf(page.querySelector('#notice'))).toContain('合格');
  expect(h.textOf(page.querySelector('#next'))).toContain(ents[1].name);

  // 下一家: the same page now shows the second enterprise; nothing navigated.
  wx.__reset();
  await h.tapButton(page, '#next');
  await h.waitFor(() => page.data.ent.id === ents[1].id && !page.data.sent, 'second enterprise');
  expect(h.calls('navigateTo').concat(h.calls('redirectTo'), h.calls('navigateBack'))).toHaveLength(0);
  rate(page, 'doorway', false);
  rate(page, 'ditch', true);
  rate(page, 'road', true);
  await h.waitFor(() => page.querySelector('#doorway-note'));
  // A failed area without a note or a photo is marked beside it and nothing is sent.
  await h.tapButton(page, '#submit');
  await h.waitFor(() => page.querySelector('#error-doorway-photo'), 'photo required');
  expect(h.textOf(page.querySelector('#error-doorway-note'))).toContain('门口');
  expect((await board()).checked.some((c) => c.enterprise_id === ents[1].id)).toBe(false);
  h.type(page, '#doorway-note', '门口堆放废弃纸箱和木托盘，有火灾隐患');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#doorway-photo'));
  await h.waitFor(() => page.data.d.areas[0].photos.length === 1 && page.data.d.areas[0].note, 'note and photo');
  await submit(page);
  expect(page.data.error).toBe('');
  expect(h.textOf(page.querySelector('#notice'))).toMatch(/不合格.*门口 YH-\d{8}-\d{4}/);
  expect(h.textOf(page.querySelector('#next'))).toContain(ents[2].name);

  await h.tapButton(page, '#next');
  await h.waitFor(() => page.data.ent.id === ents[2].id && !page.data.sent, 'third enterprise');
  for (const a of ['doorway', 'ditch', 'road']) rate(page, a, true);
  await submit(page);
  expect(page.data.error).toBe('');
  expect(ents.map((e) => e.id)).not.toContain(page.data.next && page.data.next.id); // the round goes on past these three

  const after = await board();
  const failed = after.failed.find((f) => f.enterprise_id === ents[1].id);
  expect(failed.areas.map((a) => [a.area, a.hazard_status])).toEqual([['doorway', 'pending_rectify']]);
  expect(failed.areas[0].photos).toHaveLength(1);
  expect(after.checked.filter((c) => ents.some((e) => e.id === c.enterprise_id)).map((c) => c.passed).sort()).toEqual([false, true, true]);

  // The enterprise's phone: the hazard is in its list, and its board shows only its own result.
  h.use(entPhone);
  const list = await h.openPage('pages/hazards/index');
  await h.waitFor(() => list.data.loaded);
  const row = list.data.items.find((x) => x.id === failed.areas[0].hazard_id);
  expect(row.source_label).toBe('周五卫生检查');
  expect(h.textOf(list)).toContain(row.code);
  const own = await h.openPage('pages/hygiene/index');
  await h.waitFor(() => own.data.loaded && own.data.history.length, 'own board');
  const text = h.textOf(own);
  expect(text).toContain(ents[1].name);
  expect(text).toContain(failed.areas[0].hazard_code);
  expect(text).not.toContain(ents[0].name);
  expect(text).not.toContain(ents[2].name);
  expect(own.querySelector('#start')).toBeFalsy();
});

test('a correction while the hazard is open: failed → passed voids the hazard, passed → failed opens one', async () => {
  h.use(insp);
  const b = await board();
  const failedCheck = b.failed.find((f) => f.enterprise_id === ents[1].id);
  const hazardId = failedCheck.areas[0].hazard_id;
  const page = await h.openPage('pages/hygiene/detail', { id: String(failedCheck.check_id) });
  await h.waitFor(() => page.data.c.id, 'check');
  await h.tapButton(page, '#edit');
  await h.waitFor(() => page.querySelector('#correction'));
  h.tap(page.querySelector('#fix-doorway-pass'));
  h.tap(page.querySelector('#fix-road-fail'));
  await h.waitFor(() => page.querySelector('#fix-road-note'));
  h.type(page, '#fix-road-note', '道路边沟渠口堆放油桶');
  await h.waitFor(() => page.data.e.areas[2].note);
  // Passed → failed needs a photo of its own.
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.querySelector('#error-fix-road-photo'), 'photo required');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#fix-road-photo'));
  await h.waitFor(() => page.data.e.areas[2].photos.length === 1);
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.notice, 'corrected');
  expect(page.data.error).toBe('');
  expect((await h.must('GET', '/hazards/' + hazardId, undefined, inspToken)).status).toBe('void');
  const c = await h.must('GET', '/hygiene-checks/' + failedCheck.check_id, undefined, inspToken);
  expect(c.areas.map((a) => [a.area, a.passed])).toEqual([['doorway', true], ['ditch', true], ['road', false]]);
  expect(c.areas[2].hazard_status).toBe('pending_rectify');
  expect(h.textOf(page.querySelector('#area-road'))).toContain(c.areas[2].hazard_code);
});

test('without signal the round goes on: the check waits in the outbox, 下一家 still works, and it is sent once', async () => {
  h.use(insp);
  const page = await h.openPage('pages/hygiene/check', { enterprise_id: String(offline[0].id) });
  expect(h.textOf(page.querySelector('#enterprise'))).toBe(offline[0].name);
  wx.__setOnline(false);
  rate(page, 'doorway', true);
  rate(page, 'ditch', false);
  rate(page, 'road', true);
  await h.waitFor(() => page.querySelector('#ditch-note'));
  h.type(page, '#ditch-note', '沟渠内有油污和垃圾');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#ditch-photo'));
  await h.waitFor(() => page.data.d.areas[1].photos.length === 1 && page.data.d.areas[1].note);
  await submit(page);
  expect(h.textOf(page.querySelector('#notice'))).toContain('联网后自动提交');
  expect(page.data.next.id).toBe(offline[1].id);
  await h.tapButton(page, '#next');
  await h.waitFor(() => page.data.ent.id === offline[1].id && !page.data.sent, 'next enterprise offline');
  expect((await board()).checked.some((c) => c.enterprise_id === offline[0].id)).toBe(false);

  const outbox = require('../../src/utils/outbox');
  outbox.start();
  wx.__setOnline(true);
  await h.waitFor(() => outbox.count() === 0, 'outbox sent');
  await outbox.flush(); // a second flush finds nothing left to send
  const after = await board();
  const f = after.failed.find((x) => x.enterprise_id === offline[0].id);
  expect(f.areas.map((a) => a.area)).toEqual(['ditch']);
  expect(after.checked.filter((c) => c.enterprise_id === offline[0].id)).toHaveLength(1);
});
