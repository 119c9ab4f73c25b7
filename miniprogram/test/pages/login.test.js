// Sign-in page against the real server: a good password signs in and opens the home page; a wrong
// one shows the server's message; empty fields are marked beside the field.
const h = require('../support/harness');

let insp;
beforeAll(async () => {
  insp = await h.account('inspector');
});
beforeEach(() => {
  wx.clearStorageSync();
  wx.__reset();
});

test('password sign-in stores the session and opens home', async () => {
  const page = await h.openPage('pages/login/index');
  h.type(page, '#username', insp.username);
  h.type(page, '#password', insp.password);
  await h.waitFor(() => page.data.password === insp.password, 'typed password');
  await h.tapButton(page, '#login');
  await h.waitFor(() => h.calls('reLaunch').length, 'reLaunch');
  expect(h.calls('reLaunch')[0].url).toBe('/pages/home/index');
  expect(wx.getStorageSync('parksafe.session').user.username).toBe(insp.username);
});

test('a wrong password shows the server message', async () => {
  const page = await h.openPage('pages/login/index');
  h.type(page, '#username', insp.username);
  h.type(page, '#password', 'wrong-Passw0rd');
  await h.waitFor(() => page.data.password === 'wrong-Passw0rd');
  await h.tapButton(page, '#login');
  await h.waitFor(() => page.querySelector('#error'), 'error banner');
  expect(h.textOf(page.querySelector('#error'))).toContain('用户名或密码错误');
  expect(h.calls('reLaunch')).toHaveLength(0);
  expect(wx.getStorageSync('parksafe.session')).toBe('');
});

test('empty fields are marked beside the field', async () => {
  const page = await h.openPage('pages/login/index');
  await h.tapButton(page, '#login');
  await h.waitFor(() => page.data.fields.username, 'field error');
  expect(h.textOf(page.querySelector('#username'))).toContain('请输入用户名或手机号');
});
