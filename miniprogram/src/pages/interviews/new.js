// New interviews (admin): the week's proposals — each enterprise that missed its Monday leader
// inspection, with its streak of missed weeks, a reason and the attendee filled in — and, for one of
// them, the time and place, then POST /interviews (once, whatever the retries).
const api = require('../../utils/api');
const format = require('../../utils/format');
const week = require('../../utils/week');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { week: '', weekLabel: '', items: [], loaded: false, form: null, fields: {}, error: '', busy: false, today: '' },
  methods: {
    onLoad(query) {
      this.setData({ today: format.parkToday() });
      return this.show(query.week || week.shift(week.current(), -1));
    },
    show(w) {
      this.setData({ week: w, weekLabel: week.label(w), form: null });
      return this.load();
    },
    onPrevWeek() {
      return this.show(week.shift(this.data.week, -1));
    },
    onNextWeek() {
      return this.data.week < week.current() ? this.show(week.shift(this.data.week, 1)) : null;
    },
    async load() {
      try {
        const r = await api.post('/interviews/from-week', { week: this.data.week });
        this.setData({ items: r.items, loaded: true, error: '' });
      } catch (e) {
        this.setData({ items: [], loaded: true, error: api.messageOf(e) });
      }
    },
    onPick(e) {
      const p = this.data.items[e.currentTarget.dataset.index];
      this._key = api.newKey();
      this.setData({ fields: {}, error: '', form: { index: e.currentTarget.dataset.index, enterprise_id: p.enterprise_id, name: p.enterprise_name,
        weeks: p.weeks, reason: p.reason, attendee: p.attendee, place: '园区管委会会议室', date: format.addDays(this.data.today, 2), time: '09:30' } });
    },
    onText(e) {
      const f = e.currentTarget.dataset.field;
      this.setData({ ['form.' + f]: e.detail.value, fields: { ...this.data.fields, [f]: '' } });
    },
    onDate(e) {
      this.setData({ 'form.date': e.detail.value, 'fields.scheduled_at': '' });
    },
    onTime(e) {
      this.setData({ 'form.time': e.detail.value, 'fields.scheduled_at': '' });
    },
    onCancel() {
      this.setData({ form: null });
    },
    async onCreate() {
      const f = this.data.form;
      this.setData({ busy: true, error: '', fields: {} });
      try {
        const iv = await api.request('POST', '/interviews', { key: this._key, data: { enterprise_id: f.enterprise_id, weeks: f.weeks,
          reason: f.reason.trim(), attendee: f.attendee.trim(), place: f.place.trim(), scheduled_at: `${f.date}T${f.time}:00+08:00` } });
        this.setData({ busy: false });
        wx.showToast({ title: '已安排约谈', icon: 'success' });
        wx.redirectTo({ url: '/pages/interviews/detail?id=' + iv.id });
      } catch (err) {
        this.setData({ busy: false, error: api.messageOf(err), fields: err.fields || {} });
      }
    },
    onExisting(e) {
      wx.navigateTo({ url: '/pages/interviews/detail?id=' + e.currentTarget.dataset.id });
    },
  },
}));
