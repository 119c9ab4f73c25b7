// Home: what is waiting for this person, by role: to rectify (enterprise), to verify (inspector), to
// approve (admin), overdue; the outbox and unread messages.
const api = require('../../utils/api');
const session = require('../../utils/session');
const outbox = require('../../utils/outbox');

/** @type {Record<string, {key: string, label: string, query: Record<string, any>, alert?: boolean}[]>} */
const TILES = {
  enterprise: [
    { key: 'rectify', label: '待整改', query: { status: 'pending_rectify' }, alert: true },
    { key: 'overdue', label: '已逾期', query: { overdue: true }, alert: true },
    { key: 'verify', label: '待验收', query: { status: 'pending_verify' } },
  ],
  inspector: [
    { key: 'verify', label: '待验收', query: { status: 'pending_verify' }, alert: true },
    { key: 'overdue', label: '已逾期', query: { overdue: true }, alert: true },
    { key: 'rectify', label: '待整改', query: { status: 'pending_rectify' } },
  ],
  admin: [
    { key: 'approve', label: '待审批', query: { status: 'pending_approval' }, alert: true },
    { key: 'verify', label: '待验收', query: { status: 'pending_verify' } },
    { key: 'overdue', label: '已逾期', query: { overdue: true }, alert: true },
  ],
};

/** The weekly routines and desks each role opens from home, in the order of their week. */
const ROUTINES = {
  inspector: ['hygiene', 'leader', 'bulletins', 'stats', 'enterprises'],
  enterprise: ['leader', 'hygiene', 'interviews', 'bulletins', 'stats'],
  admin: ['hygiene', 'leader', 'interviews', 'bulletins', 'stats', 'enterprises', 'users'],
};
const ROUTINE = {
  hygiene: { title: '周五卫生检查', url: '/pages/hygiene/index' },
  leader: { title: '周一带队检查', url: '/pages/leader/index' },
  interviews: { title: '约谈', url: '/pages/interviews/index' },
  bulletins: { title: '通报', url: '/pages/bulletins/index' },
  stats: { title: '统计', url: '/pages/stats/index' },
  enterprises: { title: '企业', url: '/pages/admin/enterprises' },
  users: { title: '账号', url: '/pages/admin/users' },
};

/** OUTBOX_NOTE describes the outbox on home while nothing in it needs the user. */
const OUTBOX_NOTE = '无网络时保存的上报与整改，网络恢复后自动发送';

/** outboxData is what home shows of the outbox: the count, and the items that wait for the user. */
function outboxData(items) {
  const n = items.filter((x) => x.state === 'failed' || x.state === 'stalled').length;
  return { outboxCount: items.length, outboxNote: n ? `其中 ${n} 条未能发出，需要你处理` : OUTBOX_NOTE, outboxAlert: n > 0 };
}

/** HAZARD_FILTER is where a tile leaves the filter for the hazard list (a tab page takes no query). */
const HAZARD_FILTER = 'parksafe.hazards.filter';

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { user: {}, park: {}, tiles: [], routines: [], canReport: false, outboxCount: 0, outboxNote: OUTBOX_NOTE, outboxAlert: false,
    unread: 0, error: '' },
  methods: {
    onLoad() {
      this._off = outbox.onChange((items) => this.setData(outboxData(items)));
    },
    onUnload() {
      if (this._off) this._off();
    },
    onShow() {
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      const cached = session.user();
      if (!cached) {
        wx.reLaunch({ url: '/pages/login/index' });
        return;
      }
      const defs = TILES[cached.role] || [];
      this.setData({ user: cached, canReport: cached.role !== 'enterprise', ...outboxData(outbox.list()),
        tiles: defs.map((d) => ({ key: d.key, label: d.label, alert: !!d.alert, count: null })) });
      try {
        const [me, unread, ...counts] = await Promise.all([
          api.get('/me'),
          api.get('/notifications', { unread: true, page_size: 1 }),
          ...defs.map((d) => api.get('/hazards', { ...d.query, page_size: 1 })),
        ]);
        session.setUser(me);
        this.setData({ user: me, park: me.park, unread: unread.unread_count, error: '',
          tiles: defs.map((d, i) => ({ key: d.key, label: d.label, alert: !!d.alert, count: counts[i].total })) });
        if (unread.unread_count > 0) wx.setTabBarBadge({ index: 2, text: String(unread.unread_count) });
        else wx.removeTabBarBadge({ index: 2 });
        await this.loadRoutines(me);
      } catch (e) {
        this.setData({ error: api.messageOf(e) });
      }
    },
    /** loadRoutines lists the role's routines with where this week stands (a failed figure only leaves its note empty). */
    async loadRoutines(me) {
      const keys = ROUTINES[me.role] || [];
      const notes = {};
      const w = me.park.week;
      const jobs = [];
      if (keys.includes('hygiene') && me.role !== 'enterprise') {
        jobs.push(api.get('/hygiene-checks/weeks/' + w).then((b) => {
          notes.hygiene = `本周已查 ${b.checked.length} / ${b.checked.length + b.not_checked.length} 家`;
        }));
      }
      if (keys.includes('leader')) {
        jobs.push(api.get('/leader-inspections/weeks/' + w).then((r) => {
          notes.leader = me.role === 'enterprise' ? (r.done.length ? '本周已按时填报' : r.late.length ? '本周已填报（非周一）' : '本周未填报')
            : `本周按时 ${r.done.length} 家，未填报 ${r.missing.length} 家`;
        }));
      }
      if (keys.includes('interviews')) {
        jobs.push(api.get('/interviews', { status: me.role === 'enterprise' ? 'held' : 'scheduled', page_size: 1 }).then((l) => {
          notes.interviews = l.total ? (me.role === 'enterprise' ? `${l.total} 项待反馈` : `${l.total} 项待约谈`) : '';
        }));
      }
      await Promise.all(jobs.map((j) => j.catch(() => null)));
      this.setData({ routines: keys.map((k) => ({ key: k, ...ROUTINE[k], note: notes[k] || '' })) });
    },
    onRoutine(e) {
      wx.navigateTo({ url: e.currentTarget.dataset.url });
    },
    onTile(e) {
      const def = (TILES[this.data.user.role] || [])[e.currentTarget.dataset.index];
      wx.setStorageSync(HAZARD_FILTER, def.query);
      wx.switchTab({ url: '/pages/hazards/index' });
    },
    onReport() {
      wx.navigateTo({ url: '/pages/hazard-forms/report' });
    },
    onOutbox() {
      wx.navigateTo({ url: '/pages/account/outbox' });
    },
    onMessages() {
      wx.switchTab({ url: '/pages/notifications/index' });
    },
  },
}));
