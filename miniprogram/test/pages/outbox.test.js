// The outbox's retries are bounded: a submission the server keeps failing on is tried again later and
// later, stops being tried by itself after MAX_FAILURES, and stays on the phone, shown, until the user
// sends it by hand; meanwhile the items behind it go out. Without network nothing is tried or counted.
const h = require('../support/harness');

const p = h.phone('outbox-inspector');
let ent, token, outbox;

beforeAll(async () => {
  ent = await h.enterprise('重试测试化工');
  token = await h.signIn(p, await h.account('inspector'));
});

beforeEach(() => {
  h.use(p);
  jest.resetModules();
  require('../../src/config').apiBase = h.state.api;
  outbox = require('../../src/utils/outbox');
});

afterEach(() => jest.restoreAllMocks());

const count = async (title) => (await h.must('GET', '/hazards?q=' + encodeURIComponent(title), undefined, token)).total;

/** report is an outbox submission of a hazard with one photo. */
function report(title) {
  return { kind: 'hazard', path: '/hazards', photoField: 'photo_ids', title: '上报隐患：' + title,
    photos: [{ path: h.photoFile, takenAt: new Date().toISOString() }],
    body: { enterprise_id: ent.id, source: 'snapshot', category: 'fire', level: 'general', title, description: '灭火器过期',
      requirement: '更换', deadline: new Date(Date.now() + 7 * 864e5).toISOString().slice(0, 10) } };
}

/** failing makes the server answer 503 to the creation of the hazard titled title, as during an outage. */
function failing(title) {
  const real = wx.request;
  wx.request = (o) => {
    if (o.method === 'POST' && o.data && o.data.title === title) {
      setTimeout(() => o.success({ statusCode: 503, header: {}, data: { error: { code: 'unavailable', message: '服务暂时不可用，请稍后重试' } } }), 0);
      return { abort() {} };
    }
    return real(o);
  };
  return () => {
    wx.request = real;
  };
}

const item = (title) => outbox.list().find((x) => x.body.title === title);

test('a submission the server keeps failing on backs off, stops by itself, stays shown and is sent by hand', async () => {
  const title = '一直失败' + Date.now();
  const restore = failing(title);
  const clock = jest.spyOn(Date, 'now');
  let now = Date.UTC(2026, 10, 27, 1, 0);
  clock.mockImplementation(() => now);

  expect((await outbox.submit(report(title))).sent).toBe(false);
  let it = item(title);
  expect([it.state, it.attempts, it.failures, it.error]).toEqual(['pending', 1, 1, '服务暂时不可用，请稍后重试']);
  expect(it.nextAt - now).toBeGreaterThanOrEqual(15000);
  expect(it.nextAt - now).toBeLessThanOrEqual(30000);

  // The item behind it goes out while it waits.
  const other = '后面的上报' + Date.now();
  outbox.put(report(other));
  await outbox.flush();
  expect(item(other)).toBeUndefined();
  expect(await count(other)).toBe(1);
  expect(item(title).attempts).toBe(1); // not tried before its time

  // Each counted failure doubles the wait (with jitter between half and all of it), up to 30 minutes.
  const waits = [];
  for (let n = 2; n <= outbox.MAX_FAILURES; n++) {
    now = item(title).nextAt - 1;
    await outbox.flush();
    expect(item(title).attempts).toBe(n - 1);
    now += 1;
    await outbox.flush();
    it = item(title);
    expect([it.attempts, it.failures]).toEqual([n, n]);
    if (it.state === 'pending') waits.push(it.nextAt - now);
  }
  expect(waits).toHaveLength(outbox.MAX_FAILURES - 2);
  waits.forEach((w, i) => {
    const full = Math.min(30000 * 2 ** (i + 1), 30 * 60000);
    expect(w).toBeGreaterThanOrEqual(full / 2);
    expect(w).toBeLessThanOrEqual(full);
  });

  // Stalled: no longer tried by itself, however long it waits, but kept and shown.
  expect([it.state, it.nextAt]).toEqual(['stalled', 0]);
  now += 24 * 3600e3;
  await outbox.flush();
  expect(item(title).attempts).toBe(outbox.MAX_FAILURES);
  clock.mockRestore();

  const home = await h.openPage('pages/home/index');
  await h.waitFor(() => home.querySelector('#outbox-alert'), 'home says the outbox needs the user');
  expect(h.textOf(home.querySelector('#outbox-alert'))).toBe('其中 1 条未能发出，需要你处理');
  const box = await h.openPage('pages/account/outbox');
  const card = box.querySelector('#item-0');
  expect(h.textOf(card)).toContain('已暂停');
  expect(h.textOf(card)).toContain(`已连续 ${outbox.MAX_FAILURES} 次未发出`);
  expect(h.textOf(card)).toContain('服务暂时不可用，请稍后重试');

  // The server is back; the user sends it by hand, and it is created once.
  restore();
  await h.tapButton(box, '#retry-0');
  await h.waitFor(() => !outbox.list().length, 'sent');
  expect(await count(title)).toBe(1);
  expect(h.textOf(box)).toContain('没有待发送的记录');
});

test('without a network nothing is tried and nothing counts towards stopping', async () => {
  const title = '没有网络' + Date.now();
  wx.__setOnline(false);
  try {
    expect((await outbox.submit(report(title))).sent).toBe(false);
    for (let i = 0; i < outbox.MAX_FAILURES + 2; i++) await outbox.flush(); // the app shown again and again
    const it = item(title);
    expect([it.state, it.attempts, it.failures, it.nextAt]).toEqual(['pending', 1, 0, 0]);
  } finally {
    wx.__setOnline(true);
  }
  await outbox.flush();
  expect(item(title)).toBeUndefined();
  expect(await count(title)).toBe(1);
});

test('the wait after a failure doubles from 30 s, with jitter, and stays under 30 minutes', () => {
  for (let n = 1; n <= 12; n++) {
    const full = Math.min(30000 * 2 ** (n - 1), 30 * 60000);
    for (let i = 0; i < 20; i++) {
      const w = outbox.backoff(n);
      expect(w).toBeGreaterThanOrEqual(full / 2);
      expect(w).toBeLessThanOrEqual(full);
    }
  }
});

test('another account signed in on the same phone neither sees nor sends the first one’s outbox and drafts', async () => {
  const shared = h.phone('outbox-shared');
  const first = await h.account('inspector');
  const second = await h.account('inspector');
  const title = '交接班前的上报' + Date.now();
  await h.signIn(shared, first);
  const draft = require('../../src/utils/draft');
  draft.save('report', { id: 'd1', key: 'k1', title: '未写完的上报', photos: [] });
  wx.__setOnline(false);
  expect((await outbox.submit(report(title))).sent).toBe(false);
  wx.__setOnline(true);

  // The next shift signs in on the same phone: nothing of the first account's shows or goes out.
  const secondToken = await h.signIn(shared, second);
  expect(outbox.list()).toEqual([]);
  expect(draft.get('report')).toBeNull();
  await outbox.flush();
  expect(await count(title)).toBe(0);
  const box = await h.openPage('pages/account/outbox');
  expect(h.textOf(box)).toContain('没有待发送的记录');
  const form = await h.openPage('pages/hazard-forms/report');
  expect(form.data.d.title).toBe('');

  // The first account signs in again: its outbox goes out under its own name, its draft is there.
  await h.signIn(shared, first);
  expect(outbox.list().map((x) => x.body.title)).toEqual([title]);
  expect(draft.get('report').title).toBe('未写完的上报');
  await outbox.flush();
  const sent = await h.must('GET', '/hazards?q=' + encodeURIComponent(title), undefined, secondToken);
  expect(sent.items.map((x) => x.id)).toHaveLength(1);
  expect((await h.must('GET', '/hazards/' + sent.items[0].id, undefined, secondToken)).reporter.id).toBe(first.id);
});

test('an outbox and a draft left by an earlier version are adopted by the account that signs in', async () => {
  const phone = h.phone('outbox-upgrade');
  await h.signIn(phone, await h.account('inspector'));
  const title = '升级前的上报' + Date.now();
  wx.setStorageSync('parksafe.outbox', [{ ...outbox.put(report(title)), createdAt: '2026-11-26T18:34:00.000Z' }]);
  wx.removeStorageSync(h.storageKey('outbox'));
  wx.setStorageSync('parksafe.draft.report', { id: 'd0', key: 'k0', title: '升级前的草稿', photos: [] });
  expect(outbox.list().map((x) => x.body.title)).toEqual([title]);
  expect(wx.getStorageSync('parksafe.outbox')).toBe('');
  expect(require('../../src/utils/draft').get('report').title).toBe('升级前的草稿');
  const box = await h.openPage('pages/account/outbox');
  expect(h.textOf(box)).toContain('保存于 11月27日 02:34');
  await outbox.flush();
  expect(await count(title)).toBe(1);
});
