// Accounts (admin): by role, searchable; open one to change it or create a new one.
const api = require('../../utils/api');

const ROLES = [
  { value: '', label: '全部' },
  { value: 'admin', label: '管理办' },
  { value: 'inspector', label: '检查人员' },
  { value: 'enterprise', label: '企业用户' },
];

// Page written as a Component (WeChat's documented form); `this` is the page instance.
Component(/** @type {any} */ ({
  data: { roles: ROLES, role: '', q: '', items: [], loaded: false, error: '' },
  methods: {
    onShow() {
      return this.load();
    },
    async onPullDownRefresh() {
      await this.load();
      wx.stopPullDownRefresh();
    },
    async load() {
      try {
        const l = await api.get('/users', { role: this.data.role, q: this.data.q.trim(), page_size: 100 });
        this.setData({ items: l.items, loaded: true, error: '' });
      } catch (e) {
        this.setData({ loaded: true, error: api.messageOf(e) });
      }
    },
    onRole(e) {
      this.setData({ role: e.currentTarget.dataset.value });
      return this.load();
    },
    onSearch(e) {
      this.setData({ q: e.detail.value });
      return this.load();
    },
    onOpen(e) {
      wx.navigateTo({ url: '/pages/admin/user?id=' + e.currentTarget.dataset.id });
    },
    onNew() {
      wx.navigateTo({ url: '/pages/admin/user' });
    },
  },
}));
