// The park's enterprises: search, open to edit (admin) or read (inspector), register a new one.
const api = require('../../utils/api');
const session = require('../../utils/session');

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { q: '', items: [], admin: false, loaded: false, error: '' },
  methods: {
    onLoad() {
      this.setData({ admin: session.role() === 'admin' });
    },
    onShow() {
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        const l = await api.get('/enterprises', { q: this.data.q.trim(), page_size: 100 });
        this.setData({ items: l.items, loaded: true, error: '' });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    onSearch(e) {
      this.setData({ q: e.detail.value });
      return this.load();
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/admin/enterprise?id=' + e.currentTarget.dataset.id });
    },
    onNew() {
      wx.navigateTo({ url: '/pages/admin/enterprise' });
    },
  },
}));
