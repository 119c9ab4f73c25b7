// The office's desk against the real server: an enterprise registered with its USCC check character
// checked on the phone first, then edited; an account created for it, moved to another role and
// enterprise, and disabled (it can no longer sign in).
const h = require('../support/harness');

const adminPhone = h.phone('desk-admin');
let adminToken;

beforeAll(async () => {
  adminToken = await h.signIn(adminPhone, { username: 'admin', password: h.state.adminPassword });
});

const find = async (q) => (await h.must('GET', '/enterprises?q=' + encodeURIComponent(q), undefined, adminToken)).items;

test('register an enterprise: a wrong check character is caught on the phone, the right one is registered and edited', async () => {
  h.use(adminPhone);
  const n = h.tag();
  const name = `登记测试${n}化工有限公司`;
  const good = h.uscc(n);
  const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
  const page = await h.openPage('pages/admin/enterprise');
  await h.waitFor(() => page.data.e.kind, 'form');
  h.type(page, '#name', name);
  h.type(page, '#uscc', bad);
  h.type(page, '#principal', '李总');
  h.type(page, '#principal-mobile', '139' + String(n).slice(-8));
  await h.waitFor(() => page.data.e.uscc === bad && page.data.e.principal_mobile);
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.fields.uscc, 'uscc marked');
  expect(h.textOf(page.querySelector('#uscc'))).toContain(`应为 ${good[17]}`);
  expect(await find(name)).toHaveLength(0);

  h.type(page, '#uscc', good.toLowerCase());
  await h.waitFor(() => page.data.e.uscc === good.toLowerCase());
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.notice || page.data.error, 'registered');
  expect(page.data.error).toBe('');
  const [saved] = await find(name);
  expect([saved.uscc, saved.principal_name]).toEqual([good, '李总']);

  const edit = await h.openPage('pages/admin/enterprise', { id: String(saved.id) });
  await h.waitFor(() => edit.data.e.id);
  h.type(edit, '#principal', '王总');
  await h.waitFor(() => edit.data.e.principal_name === '王总');
  await h.tapButton(edit, '#save');
  await h.waitFor(() => edit.data.e.version > saved.version || edit.data.error, 'edited');
  expect(edit.data.error).toBe('');
  expect((await find(name))[0].principal_name).toBe('王总');

  const list = await h.openPage('pages/admin/enterprises');
  await h.waitFor(() => list.data.loaded);
  expect(h.textOf(list.querySelector('#enterprise-' + saved.id))).toContain(name);
});

test('an account: created for an enterprise, moved to another role, disabled', async () => {
  h.use(adminPhone);
  const ent = await h.enterprise('账号测试化工');
  const n = h.tag();
  const page = await h.openPage('pages/admin/user');
  await h.waitFor(() => page.data.ents.length, 'enterprises');
  h.type(page, '#name', '测试安全员' + n);
  h.type(page, '#mobile', '137' + String(n).slice(-8));
  h.type(page, '#username', 'desk' + n);
  h.type(page, '#password', 'Passw0rd-' + n);
  h.pick(page, '#role-picker', 1);
  await h.waitFor(() => page.querySelector('#enterprise-picker'));
  // An enterprise user needs its enterprise.
  await h.waitFor(() => page.data.password && page.data.u.username);
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.fields.enterprise_id, 'enterprise required');
  h.pick(page, '#enterprise-picker', page.data.ents.findIndex((e) => e.id === ent.id));
  await h.waitFor(() => page.data.u.enterprise_id === ent.id);
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.u.id || page.data.error, 'created');
  expect(page.data.error).toBe('');
  const id = page.data.u.id;
  let u = await h.must('GET', '/users/' + id, undefined, adminToken);
  expect([u.role, u.enterprise_id]).toEqual(['enterprise', ent.id]);
  await h.must('POST', '/auth/login', { username: 'desk' + n, password: 'Passw0rd-' + n });

  h.pick(page, '#role-picker', 0);
  await h.waitFor(() => page.data.u.role === 'inspector');
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.u.role === 'inspector' && page.data.u.version > u.version, 'role changed');
  u = await h.must('GET', '/users/' + id, undefined, adminToken);
  expect([u.role, u.enterprise_id]).toEqual(['inspector', null]);

  await h.tapButton(page, '#toggle-status');
  await h.waitFor(() => page.data.u.status === 'disabled', 'disabled');
  expect(h.textOf(page.querySelector('#notice'))).toContain('已停用');
  const login = await h.api('POST', '/auth/login', { username: 'desk' + n, password: 'Passw0rd-' + n });
  expect(login.status).not.toBe(200);
});

test('an account handed over: a new mobile asks for a new password, and the old one no longer signs in', async () => {
  h.use(adminPhone);
  const n = h.tag();
  const oldMobile = '136' + String(n).slice(-8);
  const newMobile = '135' + String(n).slice(-8);
  const made = await h.must('POST', '/users', { name: '交接前' + n, username: 'hand' + n, mobile: oldMobile,
    password: 'Passw0rd-' + n, role: 'inspector' }, adminToken);
  const page = await h.openPage('pages/admin/user', { id: String(made.id) });
  await h.waitFor(() => page.data.u.id, 'account');
  expect(page.data.handover).toBe(false);
  h.type(page, '#mobile', newMobile);
  await h.waitFor(() => page.data.handover, 'handover noticed');
  expect(h.textOf(page.querySelector('#password'))).toContain('新密码');
  // Without the password the server refuses, and says why under the field; nothing changes.
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.fields.password, 'password asked for');
  expect(h.textOf(page.querySelector('#password'))).toContain('请同时为其设置新密码');
  expect((await h.must('GET', '/users/' + made.id, undefined, adminToken)).mobile).toBe(oldMobile);

  h.type(page, '#password', 'Handover-' + n);
  await h.waitFor(() => page.data.password);
  await h.tapButton(page, '#save');
  await h.waitFor(() => page.data.u.version > made.version || page.data.error, 'handed over');
  expect(page.data.error).toBe('');
  expect([page.data.u.mobile, page.data.handover]).toEqual([newMobile, false]);
  expect((await h.api('POST', '/auth/login', { username: 'hand' + n, password: 'Passw0rd-' + n })).status).toBe(401);
  await h.must('POST', '/auth/login', { username: newMobile, password: 'Handover-' + n });
});
