// 今日作业 and the week: today's approved and running work by enterprise with overruns flagged (the
// park's day, another day by the date picker), and a week's operations day by day with their counts.
// An enterprise sees its own work only (the server's rule).
const api = require('../../utils/api');
const format = require('../../utils/format');
const week = require('../../utils/week');
const filing = require('./filing');

const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { view: 'day', date: '', board: null, week: '', weekLabel: '', wk: null, days: [], loaded: false, error: '' },
  methods: {
    onLoad(query) {
      const today = format.parkToday();
      this.setData({ view: query.view === 'week' ? 'week' : 'day', date: query.date || today, week: query.week || week.weekOf(today) });
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    load() {
      return this.data.view === 'week' ? this.loadWeek() : this.loadDay();
    },
    async loadDay() {
      try {
        const b = await api.get('/filings/board', { date: this.data.date });
        b.enterprises = b.enterprises.map((g) => ({ ...g, items: g.items.map(filing.row) }));
        this.setData({ board: b, loaded: true, error: '' });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    async loadWeek() {
      try {
        const w = await api.get('/filings/weeks/' + this.data.week);
        const byId = {};
        for (const it of w.items) byId[it.id] = filing.row(it);
        const days = w.days.map((d) => ({ ...d, label: `${WEEKDAYS[d.weekday]} ${d.date.slice(5)}`, items: (d.ids || []).map((id) => byId[id]).filter(Boolean) }));
        this.setData({ wk: w, days, weekLabel: week.label(this.data.week), loaded: true, error: '' });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    onView(e) {
      this.setData({ view: e.currentTarget.dataset.view, loaded: false });
      return this.load();
    },
    onDate(e) {
      this.setData({ date: e.detail.value });
      return this.loadDay();
    },
    onWeek(e) {
      this.setData({ week: week.shift(this.data.week, Number(e.currentTarget.dataset.n)) });
      return this.loadWeek();
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/filings/detail?id=' + e.currentTarget.dataset.id });
    },
  },
}));
