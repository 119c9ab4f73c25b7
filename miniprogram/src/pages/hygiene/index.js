// The week's Friday round (门前三包): checked, failed with each area's hazard and how it stands, and
// not checked. Inspectors start or continue the round from here; an enterprise sees its own result
// and its earlier checks.
const api = require('../../utils/api');
const format = require('../../utils/format');
const session = require('../../utils/session');
const week = require('../../utils/week');
const round = require('./round');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { week: '', weekLabel: '', current: false, staff: false, failed: [], passed: [], notChecked: [], history: [],
    progress: '', loaded: false, error: '' },
  methods: {
    onLoad(query) {
      this.setData({ staff: session.staff(), enterprise: session.role() === 'enterprise' });
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
      if (!this.data.current) return this.show(week.shift(this.data.week, 1));
      return null;
    },
    async load() {
      const w = this.data.week;
      try {
        const b = await api.get('/hygiene-checks/weeks/' + w);
        if (w !== this.data.week) return;
        if (this.data.current) round.save(b);
        const failed = b.failed.map((f) => ({ ...f, areas: f.areas.map((a) => ({ ...a, theme: format.statusTheme(a.hazard_status) })) }));
        const total = b.checked.length + b.not_checked.length;
        const queued = this.data.current ? round.queued(w) : [];
        this.setData({ failed, passed: b.checked.filter((c) => c.passed), loaded: true, error: '',
          notChecked: b.not_checked.map((e) => ({ ...e, queued: queued.includes(e.enterprise_id) })),
          progress: `已检查 ${b.checked.length} / ${total} 家，不合格 ${b.failed.length} 家` });
        if (this.data.enterprise) {
          const h = await api.get('/hygiene-checks', { page_size: 20 });
          this.setData({ history: h.items });
        }
      } catch (e) {
        this.setData({ error: api.messageOf(e), loaded: true });
      }
    },
    onCheck(e) {
      if (!this.data.staff || !this.data.current || e.currentTarget.dataset.queued) return;
      wx.navigateTo({ url: `/pages/hygiene/check?enterprise_id=${e.currentTarget.dataset.id}&week=${this.data.week}` });
    },
    onStart() {
      const first = this.data.notChecked.find((x) => !x.queued);
      if (first) wx.navigateTo({ url: `/pages/hygiene/check?enterprise_id=${first.enterprise_id}&week=${this.data.week}` });
    },
    onOpenCheck(e) {
      wx.navigateTo({ url: '/pages/hygiene/detail?id=' + e.currentTarget.dataset.id });
    },
    onOpenHazard(e) {
      const id = e.currentTarget.dataset.id;
      if (id) wx.navigateTo({ url: '/pages/hazards/detail?id=' + id });
    },
  },
}));
