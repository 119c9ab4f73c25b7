// 约谈 from proposal to feedback against the real server: the admin takes a week's proposal (an
// enterprise of the demo park that missed its Monday filing), schedules it, records it; the
// enterprise sees it, is notified with a link to pages/interviews/detail, and writes its feedback; the
// admin closes it with the result. Another enterprise never sees it.
const h = require('../support/harness');
const week = require('../../src/utils/week');
const format = require('../../src/utils/format');

const adminPhone = h.phone('iv-admin');
const entPhone = h.phone('iv-enterprise');
const otherPhone = h.phone('iv-other');
let proposal, propWeek, entToken;

beforeAll(async () => {
  const admin = await h.admin();
  // The most recent finished week with a missing enterprise that has no interview yet.
  let w = week.shift(week.weekOf(format.parkToday()), -1);
  for (let i = 0; i < 8 && !proposal; i++, w = week.shift(w, -1)) {
    const r = await h.must('POST', '/interviews/from-week', { week: w }, admin);
    proposal = r.items.find((p) => !p.existing_interview_id);
    propWeek = w;
  }
  expect(proposal).toBeTruthy();
  await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
  entToken = await h.signIn(entPhone, await h.account('enterprise', proposal.enterprise_id));
  await h.signIn(otherPhone, await h.account('enterprise', (await h.enterprise('约谈无关化工')).id));
});

async function act(page, mode, input, text) {
  await h.tapButton(page, '#act-' + mode);
  await h.waitFor(() => page.querySelector('#form'));
  if (input) {
    h.type(page, '#' + input, text);
    await h.waitFor(() => Object.values(page.data.f).includes(text));
  }
  const v = page.data.iv.version;
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.iv.version > v || page.data.error || Object.values(page.data.fields).some(Boolean), mode + ' saved');
}

test('an interview from the week’s proposal to the enterprise’s feedback and the result', async () => {
  h.use(adminPhone);
  const page = await h.openPage('pages/interviews/new', { week: propWeek });
  await h.waitFor(() => page.data.loaded);
  const card = page.querySelector('#proposal-' + proposal.enterprise_id);
  expect(h.textOf(card)).toContain(proposal.enterprise_name);
  expect(h.textOf(card)).toContain(`连续缺报 ${proposal.missed_streak} 周`);
  await h.tapButton(page, '#pick-' + proposal.enterprise_id);
  await h.waitFor(() => page.querySelector('#create'));
  expect(page.data.form.reason).toBe(proposal.reason);
  h.type(page, '#place', '园区管委会三楼会议室');
  wx.__reset();
  await h.tapButton(page, '#create');
  await h.waitFor(() => h.calls('redirectTo').length || page.data.error, 'created');
  expect(page.data.error).toBe('');
  const url = h.calls('redirectTo')[0].url;
  expect(url).toMatch(/^\/pages\/interviews\/detail\?id=\d+$/);
  const id = Number(url.split('id=')[1]);

  // The enterprise: notified with a link to the page, sees it scheduled, cannot write feedback yet.
  h.use(entPhone);
  const notes = await h.must('GET', '/notifications', undefined, entToken);
  const note = notes.items.find((n) => n.link === 'interview:' + id);
  expect(format.recordPage(note.link)).toBe(url);
  const list = await h.openPage('pages/interviews/index');
  await h.waitFor(() => list.data.loaded);
  expect(h.textOf(list.querySelector('#interview-' + id))).toContain('待约谈');
  let ent = await h.openPage('pages/interviews/detail', { id: String(id) });
  await h.waitFor(() => ent.data.iv.id);
  expect(h.textOf(ent)).toContain('园区管委会三楼会议室');
  const scheduled = (await h.must('GET', '/interviews/' + id, undefined, entToken)).scheduled_at;
  expect(h.textOf(ent)).toContain(h.parkTime(scheduled));
  expect(h.textOf(list.querySelector('#interview-' + id))).toContain(h.parkTime(scheduled));
  expect(ent.querySelector('#act-feedback')).toBeFalsy();

  // The admin records it: minutes are required.
  h.use(adminPhone);
  const adm = await h.openPage('pages/interviews/detail', { id: String(id) });
  await h.waitFor(() => adm.data.iv.id);
  await act(adm, 'held');
  expect(h.textOf(adm.querySelector('#error-minutes'))).toContain('约谈纪要');
  h.type(adm, '#minutes-input', '企业主要负责人到场，说明未开展原因，承诺每周一按时带队检查。');
  await h.waitFor(() => adm.data.f.minutes);
  const v = adm.data.iv.version;
  await h.tapButton(adm, '#save');
  await h.waitFor(() => adm.data.iv.version > v, 'held');
  expect(adm.data.iv.status).toBe('held');
  expect(h.textOf(adm.querySelector('#feedback-due'))).toContain(format.addDays(scheduled.slice(0, 10), 7)); // a week after, by default

  // The enterprise writes its feedback.
  h.use(entPhone);
  ent = await h.openPage('pages/interviews/detail', { id: String(id) });
  await h.waitFor(() => ent.querySelector('#act-feedback'), 'feedback action');
  await act(ent, 'feedback', 'feedback-input', '已组织主要负责人于本周一带队检查并按时填报，今后每周一按时开展。');
  expect(ent.data.error).toBe('');
  expect(h.textOf(ent.querySelector('#feedback'))).toContain('今后每周一按时开展');
  expect(ent.querySelector('#act-feedback')).toBeFalsy();

  // The admin closes it with the result.
  h.use(adminPhone);
  const fin = await h.openPage('pages/interviews/detail', { id: String(id) });
  await h.waitFor(() => fin.querySelector('#act-close'));
  await act(fin, 'close', 'result-input', '约谈完成，企业已落实整改，列入下月重点检查。');
  expect(fin.data.error).toBe('');
  expect(h.textOf(fin.querySelector('#status'))).toBe('已办结');
  const server = await h.must('GET', '/interviews/' + id, undefined, entToken);
  expect([server.status, server.feedback.length > 0, server.result.length > 0]).toEqual(['closed', true, true]);

  // Another enterprise sees none of it.
  h.use(otherPhone);
  const otherList = await h.openPage('pages/interviews/index');
  await h.waitFor(() => otherList.data.loaded);
  expect(otherList.data.items.some((x) => x.id === id)).toBe(false);
  expect(h.textOf(otherList)).not.toContain(proposal.enterprise_name);
  const otherDetail = await h.openPage('pages/interviews/detail', { id: String(id) });
  await h.waitFor(() => otherDetail.data.error);
  expect(otherDetail.data.error).toContain('不存在');
});
