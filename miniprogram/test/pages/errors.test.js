// What a person sees when something other than the server fails: Chinese they can act on, never a
// developer's English, and the form they filled in stays as it was.
const h = require('../support/harness');

const p = h.phone('errors-inspector');
let ent, token;

beforeAll(async () => {
  ent = await h.enterprise('报错测试化工');
  token = await h.signIn(p, await h.account('inspector'));
});

test('a phone whose storage is full keeps the report on the form and says so in Chinese', async () => {
  h.use(p);
  const title = '存储已满' + Date.now();
  const page = await h.openPage('pages/hazard-forms/report');
  await h.waitFor(() => page.data.enterprises.length, 'enterprises');
  wx.__queueMedia(h.photoFile);
  h.tap(page.querySelector('#add-photo'));
  await h.waitFor(() => page.data.d.photos.length === 1, 'photo');
  h.pick(page, '#enterprise-picker', page.data.enterprises.findIndex((e) => e.id === ent.id));
  h.type(page, '#title', title);
  await h.waitFor(() => page.data.d.title === title, 'typed');

  // WeChat refuses to store the outbox (its storage is limited to 10 MB per mini-program).
  const set = wx.setStorageSync;
  wx.setStorageSync = (k, v) => {
    if (k.includes('outbox')) throw new Error('setStorageSync:fail exceed storage max size 10MB');
    return set(k, v);
  };
  try {
    wx.__reset();
    await h.tapButton(page, '#submit');
    await h.waitFor(() => page.data.error, 'error shown');
  } finally {
    wx.setStorageSync = set;
  }
  expect(page.data.error).toContain('存储空间不足');
  expect(page.data.error).not.toMatch(/[A-Za-z]/);
  expect(page.data.busy).toBe(false);
  expect(page.data.d.title).toBe(title);
  expect(page.data.d.photos).toHaveLength(1);
  expect(h.calls('navigateBack')).toHaveLength(0);
  const l = await h.must('GET', '/hazards?q=' + encodeURIComponent(title), undefined, token);
  expect(l.total).toBe(0);
});

test('a fault of the app is shown in Chinese, and the server’s and the network’s words as they are', () => {
  const api = require('../../src/utils/api');
  expect(api.messageOf(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('操作未完成，请重试');
  expect(api.messageOf({ errMsg: 'openDocument:fail filetype not supported' }, '台账无法打开')).toBe('台账无法打开');
  expect(api.messageOf(new api.ApiError(409, 'conflict', '隐患已被他人处理，请刷新'))).toBe('隐患已被他人处理，请刷新');
  expect(api.messageOf(new api.ApiError(0, 'network', '网络不可用，请检查网络后重试'))).toBe('网络不可用，请检查网络后重试');
});

test('requests leave the compression to WeChat, which decompresses what it asked for', async () => {
  h.use(p);
  const api = require('../../src/utils/api');
  wx.__reset();
  const l = await api.get('/hazards', { page_size: 20 });
  expect(l.items.length).toBeGreaterThan(0);
  const [req] = h.calls('request');
  expect(req.encoding).toBe('gzip'); // the stand-in asked, as WeChat does, and the server compressed it
  expect(Object.keys(req.header).map((k) => k.toLowerCase())).not.toContain('accept-encoding');
  expect(req.header.Authorization).toMatch(/^Bearer /);
});
