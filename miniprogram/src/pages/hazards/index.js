// Hazard list: status tabs, level and overdue filters, search, pull to refresh, endless scroll. An
// enterprise user sees its own hazards only (the server decides).
const api = require('../../utils/api');
const format = require('../../utils/format');
const photo = require('../../utils/photo');

const PAGE_SIZE = 20;
const HAZARD_FILTER = 'parksafe.hazards.filter';

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: {
    statuses: format.STATUS,
    levels: [{ value: '', label: '全部等级' }, ...format.LEVELS],
    filter: { status: '', level: '', overdue: false, q: '' },
    items: [],
    total: 0,
    totalMore: false,
    next: null,
    loading: false,
    loaded: false,
    error: '',
  },
  methods: {
    onLoad() {
      this._query = '';
    },
    onShow() {
      const preset = wx.getStorageSync(HAZARD_FILTER);
      if (preset) {
        wx.removeStorageSync(HAZARD_FILTER);
        this.setData({ filter: { status: preset.status || '', level: '', overdue: !!preset.overdue, q: '' } });
        return this.reload();
      }
      if (!this.data.loaded) return this.reload();
      return this.reload(); // back from a detail where the status may have changed
    },
    async onPullDownRefresh() {
      await this.reload();
      wx.stopPullDownRefresh();
    },
    // Further pages continue after the last row shown (the answer's next), so hazards reported while
    // scrolling neither repeat a row nor push one out of reach.
    onReachBottom() {
      if (this.data.next) return this.fetch(this.data.next);
      return null;
    },
    reload() {
      return this.fetch('');
    },
    /** @param {string} after the previous page's next; '' for the first page */
    async fetch(after) {
      if (this.data.loading && after) return;
      const seq = (this._seq = (this._seq || 0) + 1);
      this.setData({ loading: true, error: '' });
      const f = this.data.filter;
      try {
        /** @type {import('../../../types').List<import('../../../types').HazardListItem>} */
        const l = await api.get('/hazards', { status: f.status, level: f.level, overdue: f.overdue ? true : '', q: f.q.trim(),
          page_size: PAGE_SIZE, after });
        if (seq !== this._seq) return; // a newer filter answered first
        const rows = l.items.map((h) => ({ ...h, theme: format.statusTheme(h.status) }));
        if (after) this.setData({ items: this.data.items.concat(rows), next: l.next, loading: false });
        else this.setData({ items: rows, total: l.total, totalMore: !!l.total_at_least, next: l.next, loading: false, loaded: true });
      } catch (e) {
        if (seq === this._seq) this.setData({ loading: false, loaded: true, error: api.messageOf(e) });
      }
    },
    onTab(e) {
      this.setData({ 'filter.status': e.detail.value });
      return this.reload();
    },
    onQuery(e) {
      this.setData({ 'filter.q': e.detail.value });
    },
    onSearch(e) {
      this.setData({ 'filter.q': e.detail.value });
      return this.reload();
    },
    onClear() {
      this.setData({ 'filter.q': '' });
      return this.reload();
    },
    onLevel(e) {
      this.setData({ 'filter.level': e.currentTarget.dataset.value });
      return this.reload();
    },
    onOverdue() {
      this.setData({ 'filter.overdue': !this.data.filter.overdue });
      return this.reload();
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/hazards/detail?id=' + e.currentTarget.dataset.id });
    },
    onImageError: photo.onImageError,
  },
}));
