// 安全生产报备: filings by state (an enterprise sees its own), or what waits for this person (待我处理:
// a reviewer's filings to review, the office's to approve or assign, an enterprise's drafts, changes
// to make and work to start or finish); the enterprise files new ones, everyone reaches the board.
const api = require('../../utils/api');
const session = require('../../utils/session');
const filing = require('./filing');

const QUEUE = 'queue';

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { states: [{ value: QUEUE, label: '待我处理' }].concat(filing.STATES), status: QUEUE, items: [], total: 0, enterprise: false, q: '',
    loaded: false, error: '' },
  methods: {
    onLoad(query) {
      this.setData({ enterprise: session.role() === 'enterprise', status: query.status || QUEUE });
    },
    onShow() {
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      const s = this.data.status;
      const params = s === QUEUE ? { queue: true } : { status: s };
      try {
        const l = await api.get('/filings', { ...params, q: this.data.q.trim(), sort: s === QUEUE ? 'planned_start' : '-created_at', page_size: 50 });
        this.setData({ loaded: true, error: '', total: l.total, items: l.items.map(filing.row) });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    onStatus(e) {
      this.setData({ status: e.currentTarget.dataset.value });
      return this.load();
    },
    onSearch(e) {
      this.setData({ q: e.detail.value });
      return this.load();
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/filings/detail?id=' + e.currentTarget.dataset.id });
    },
    onNew() {
      wx.navigateTo({ url: '/pages/filings/form' });
    },
    onBoard() {
      wx.navigateTo({ url: '/pages/filings/board' });
    },
  },
}));
