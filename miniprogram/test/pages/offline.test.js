// Weak signal: a report made without network waits in the outbox (photos on the phone), survives the
// app being killed, and is sent once when the network returns; an expired photo link is renewed.
const h = require('../support/harness');

const p = h.phone('offline-inspector');
let ent, insp, token;

beforeAll(async () => {
  ent = await h.enterprise('离线测试化工');
  insp = await h.account('inspector');
  token = await h.signIn(p, insp);
});

const count = async (title) => (await h.must('GET', '/hazards?q=' + encodeURIComponent(title), undefined, token)).total;

test('a report made offline is kept, survives a restart, and is created exactly once', async () => {
  const title = '离线上报' + Date.now();
  const page = await h.openPage('pages/hazard-forms/report');
  await h.waitFor(() => page.data.enterprises.length, 'enterprises');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 1);
  h.pick(page, '#enterprise-picker', page.data.enterprises.findIndex((e) => e.id === ent.id));
  h.type(page, '#title', title);
  h.type(page, '#description', '装卸区静电接地线断开');
  h.type(page, '#requirement', '立即恢复接地');
  await h.waitFor(() => page.data.d.requirement && page.data.d.title === title);

  wx.__setOnline(false);
  wx.__reset();
  await h.tapButton(page, '#submit');
  await h.waitFor(() => h.calls('navigateBack').length, 'back to the previous page');
  expect(h.calls('showToast')[0].title).toContain('联网后自动上报');
  const [item] = wx.getStorageSync(h.storageKey('outbox'));
  expect(item.title).toContain(title);
  expect(item.photos[0].path.startsWith('wxfile://usr/outbox/')).toBe(true); // out of the temporary folder
  expect(await count(title)).toBe(0);

  // The outbox page shows it.
  const box = await h.openPage('pages/account/outbox');
  expect(h.textOf(box)).toContain(title);
  expect(h.textOf(box)).toContain('等待网络');
  // Saved at an instant, shown in park time (+08:00) whatever the phone's zone.
  expect(typeof item.createdAt).toBe('number');
  const park = new Date(item.createdAt + 8 * 3600e3).toISOString();
  expect(h.textOf(box)).toContain(`保存于 ${h.parkTime(park.slice(0, 19) + '+08:00')}`);

  // The app is killed and opened again: fresh modules, the same phone storage.
  jest.resetModules();
  require('../../src/config').apiBase = h.state.api;
  const outbox = require('../../src/utils/outbox');
  outbox.start();
  expect(outbox.count()).toBe(1);

  // The network returns: it is sent with its original key.
  wx.__setOnline(true);
  await h.waitFor(() => outbox.count() === 0, 'outbox empty');
  expect(await count(title)).toBe(1);

  // The same submission sent again (a retry whose first answer was lost) is not created twice.
  const sent = await h.must('GET', '/hazards?q=' + encodeURIComponent(title), undefined, token);
  outbox.put({ ...item, id: 'again', photos: item.photos.map((x) => ({ ...x, photoId: sent.items[0].thumb.id })) });
  const again = wx.getStorageSync(h.storageKey('outbox'))[0];
  expect(again.key).toBe(item.key);
  await outbox.flush();
  expect(outbox.count()).toBe(0);
  expect(await count(title)).toBe(1);
});

test('an expired photo link is renewed through GET /photos/{id}', async () => {
  const title = '照片过期' + Date.now();
  const api = require('../../src/utils/api');
  const ph = await api.upload({ path: h.photoFile, takenAt: new Date().toISOString(), key: api.newKey() });
  await h.must('POST', '/hazards', { enterprise_id: ent.id, category: 'fire', level: 'general', title, description: '描述',
    requirement: '要求', deadline: new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10), photo_ids: [ph.id] }, token);
  const list = await h.openPage('pages/hazards/index');
  list.instance.setData({ 'filter.q': title });
  await list.instance.reload();
  expect(list.data.items).toHaveLength(1);
  // A link signed long ago: the server refuses it.
  const expired = list.data.items[0].thumb.thumb_url.replace(/exp=\d+/, 'exp=1000000000');
  expect((await h.fetchURL(expired)).status).not.toBe(200);
  list.instance.setData({ 'items[0].thumb.thumb_url': expired });
  const img = list.querySelector('.thumb');
  img.dispatchEvent('error', { detail: { errMsg: 'GET 403' } });
  await h.waitFor(() => list.data.items[0].thumb.thumb_url !== expired, 'renewed link');
  const fresh = await h.fetchURL(list.data.items[0].thumb.thumb_url);
  expect(fresh.status).toBe(200);
  expect(fresh.type).toMatch(/^image\//);
});
