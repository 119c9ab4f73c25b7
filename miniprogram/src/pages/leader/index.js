// 主要负责人周一带队检查. The office sees a week's report: done on the Monday, late, missing (with how
// many weeks in a row); an enterprise sees whether it filed this week and whether that counted as on
// time, files from here, and reads its history.
const api = require('../../utils/api');
const session = require('../../utils/session');
const week = require('../../utils/week');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { week: '', weekLabel: '', current: false, staff: false, admin: false, done: [], late: [], missing: [], mine: null,
    history: [], loaded: false, error: '' },
  methods: {
    onLoad(query) {
      this.setData({ staff: session.staff(), admin: session.role() === 'admin' });
      return this.show(query.week || week.current());
    },
    onShow() {
      if (this._shown) return this.load();
      this._shown = true;
      return null;
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    show(w) {
      this.setData({ week: w, weekLabel: week.label(w), current: w === week.current() });
      return this.load();
    },
    onPrevWeek() {
      return this.show(week.shift(this.data.week, -1));
    },
    onNextWeek() {
      return this.data.current ? null : this.show(week.shift(this.data.week, 1));
    },
    async load() {
      const w = this.data.week;
      try {
        const r = await api.get('/leader-inspections/weeks/' + w);
        if (w !== this.data.week) return;
        this.setData({ done: r.done, late: r.late, missing: r.missing, loaded: true, error: '' });
        if (!this.data.staff) {
          const mine = r.done[0] ? { ...r.done[0], state: 'done' } : r.late[0] ? { ...r.late[0], state: 'late' } : { state: 'missing' };
          const h = await api.get('/leader-inspections', { page_size: 30 });
          this.setData({ mine, history: h.items });
        }
      } catch (e) {
        this.setData({ error: api.messageOf(e), loaded: true });
      }
    },
    onOpen(e) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: '/pages/leader/detail?id=' + id });
    },
    onFile() {
      wx.navigateTo({ url: '/pages/leader/file' });
    },
    onInterviews() {
      wx.navigateTo({ url: '/pages/interviews/new?week=' + (this.data.current ? week.shift(this.data.week, -1) : this.data.week) });
    },
  },
}));
