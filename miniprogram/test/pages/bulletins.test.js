// 通报 against the real server and the fake WeChat: the admin generates this week's hygiene notice
// from the week's data (a failed area with its photo), edits it, publishes it — WeChat refuses first
// (quota), the reason shows and a retry goes through — and follows it to published with the article
// link; an enterprise reads it on its phone (rich-text with the photo, the notice number) and sees no
// drafts.
const h = require('../support/harness');
const week = require('../../src/utils/week');
const format = require('../../src/utils/format');

const adminPhone = h.phone('bulletin-admin');
const inspPhone = h.phone('bulletin-inspector');
const entPhone = h.phone('bulletin-enterprise');
let ent;

beforeAll(async () => {
  ent = await h.enterprise('通报测试化工');
  const inspToken = await h.signIn(inspPhone, await h.account('inspector'));
  const api = require('../../src/utils/api');
  const ph = await api.upload({ path: h.photoFile, takenAt: new Date().toISOString(), key: api.newKey() });
  await h.must('POST', '/hygiene-checks', { enterprise_id: ent.id, check_date: format.parkToday(), deadline: format.addDays(format.parkToday(), 3),
    areas: [{ area: 'doorway', passed: false, note: '门口堆放废弃木托盘', photo_ids: [ph.id] }, { area: 'ditch', passed: true },
      { area: 'road', passed: true }] }, inspToken);
  await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
  await h.signIn(entPhone, await h.account('enterprise', ent.id));
});

/** publishOutcome plays WeChat: once ParkSafe has submitted, the outcome is pushed until the page shows it. */
async function publishOutcome(page, submitsBefore, articleURL) {
  await h.waitFor(async () => (await h.wechat('GET', '/__fake/calls?path=/freepublish/submit')).count > submitsBefore, 'submitted to WeChat', 20000);
  for (let i = 0; i < 20 && page.data.b.status !== 'published'; i++) {
    const r = await h.wechat('POST', '/__fake/publish-result?status=0&article_url=' + encodeURIComponent(articleURL));
    expect(r.callback_status).toBe(200);
    try {
      await h.waitFor(() => page.data.b.status === 'published', 'published', 2500);
    } catch (e) {
      /* the submit was answered but not yet recorded: WeChat's event came too early, it is sent again */
    }
  }
  expect(page.data.b.status).toBe('published');
}

test('a weekly notice generated, edited and published through WeChat, then read by an enterprise', async () => {
  h.use(adminPhone);
  const gen = await h.openPage('pages/bulletins/edit', { generate: '1' });
  expect(h.textOf(gen.querySelector('#kind'))).toBe('卫生检查周通报');
  expect(gen.data.week).toBe(week.weekOf(format.parkToday()));
  wx.__reset();
  await h.tapButton(gen, '#do-generate');
  await h.waitFor(() => h.calls('redirectTo').length || gen.data.error, 'generated');
  expect(gen.data.error).toBe('');
  const id = Number(h.calls('redirectTo')[0].url.split('id=')[1]);

  const edit = await h.openPage('pages/bulletins/edit', { id: String(id) });
  await h.waitFor(() => edit.data.d.title, 'draft loaded');
  expect(edit.data.d.content_markdown).toContain(ent.name);
  const title = edit.data.d.title + '（已审核）';
  h.type(edit, '#title', title);
  await h.waitFor(() => edit.data.d.title === title);
  wx.__reset();
  await h.tapButton(edit, '#save');
  await h.waitFor(() => h.calls('redirectTo').length || edit.data.error, 'saved');
  expect(edit.data.error).toBe('');
  expect(h.calls('redirectTo')[0].url).toBe('/pages/bulletins/detail?id=' + id);

  // WeChat refuses the first time: the bulletin fails with a reason the admin can act on.
  await h.wechat('POST', '/__fake/fail?path=/cgi-bin/draft/add&n=1&errcode=45009');
  const page = await h.openPage('pages/bulletins/detail', { id: String(id) });
  await h.waitFor(() => page.data.b.id);
  expect(h.textOf(page.querySelector('#title'))).toBe(title);
  expect(h.textOf(page.querySelector('#status'))).toBe('草稿');
  await h.tapButton(page, '#publish');
  await h.waitFor(() => page.data.b.status === 'publishing', 'publishing');
  expect(h.textOf(page.querySelector('#status'))).toBe('发布中');
  await h.waitFor(() => page.data.b.status === 'failed', 'failed', 20000);
  expect(h.textOf(page.querySelector('#failure'))).toContain('接口调用次数已用完');

  // The retry goes through, and the page follows it to published with the article link.
  const before = (await h.wechat('GET', '/__fake/calls?path=/freepublish/submit')).count;
  await h.tapButton(page, '#publish');
  await h.waitFor(() => page.data.b.status === 'publishing', 'publishing again');
  const article = 'https://mp.weixin.qq.com/s/parksafe-' + id;
  await publishOutcome(page, before, article);
  expect(h.textOf(page.querySelector('#status'))).toBe('已发布');
  expect(h.textOf(page.querySelector('#article'))).toContain(article);
  expect(page.querySelector('#publish')).toBeFalsy();

  // The enterprise reads it: in its list, with the number and the photo in the rich text.
  h.use(entPhone);
  const list = await h.openPage('pages/bulletins/index');
  await h.waitFor(() => list.data.loaded);
  expect(h.textOf(list.querySelector('#bulletin-' + id))).toContain(title);
  expect(list.data.items.every((b) => b.status === 'published')).toBe(true);
  expect(list.querySelector('#generate')).toBeFalsy();
  const read = await h.openPage('pages/bulletins/detail', { id: String(id) });
  await h.waitFor(() => read.data.b.id);
  expect(h.textOf(read.querySelector('#number'))).toMatch(/〔\d{4}〕\d+号/);
  expect(read.data.nodes).toMatch(/<img [^>]*src="http:\/\/127\.0\.0\.1:\d+\/files\/photos\/\d+\/[^"]*"[^>]*max-width:100%/);
  expect(read.data.nodes).toContain(ent.name);
  expect(read.querySelector('#publish-state')).toBeFalsy();

  // A draft is not there for the enterprise.
  const drafts = await h.must('GET', '/bulletins?status=draft', undefined, await h.admin());
  const d = await h.openPage('pages/bulletins/detail', { id: String(drafts.items[0].id) });
  await h.waitFor(() => d.data.error);
  expect(d.data.error).toContain('不存在');
}, 90000);
